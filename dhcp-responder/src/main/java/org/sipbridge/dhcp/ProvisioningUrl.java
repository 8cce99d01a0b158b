package org.sipbridge.dhcp;

import org.sipbridge.config.BridgeSettings;
import org.sipbridge.contract.network.Ipv4Subnet;

/** The URL the phone is told to provision from; the one place that chooses its scheme, address and port. */
public final class ProvisioningUrl {

    private ProvisioningUrl() {}

    /**
     * {@code http://<lan-ip>:<bridge.provisioningHttpPort>/}, or {@code https://<lan-ip>:<provisioningHttpsPort>/}
     * when {@code bridge.provisioningOverHttps} is on.
     */
    public static String of(Ipv4Subnet lan, BridgeSettings bridge) {
        return bridge.provisioningOverHttps()
                ? "https://" + lan.addressText() + ":" + bridge.provisioningHttpsPort() + "/"
                : "http://" + lan.addressText() + ":" + bridge.provisioningHttpPort() + "/";
    }
}
