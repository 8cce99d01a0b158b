package org.sipbridge.dhcp;

import org.sipbridge.config.BridgeSettings;
import org.sipbridge.config.network.Ipv4Subnet;

/** The URL the phone is told to provision from; the one place that chooses its scheme, address and port. */
public final class ProvisioningUrl {

    private ProvisioningUrl() {
    }

    /**
     * {@code http://<lan-ip>:<bridge.provisioningHttpPort>/}. Should a setting ever prefer HTTPS, this is
     * where to switch to {@code https://} and {@code bridge.provisioningHttpsPort()}.
     */
    public static String of(Ipv4Subnet lan, BridgeSettings bridge) {
        return "http://" + lan.addressText() + ":" + bridge.provisioningHttpPort() + "/";
    }
}
