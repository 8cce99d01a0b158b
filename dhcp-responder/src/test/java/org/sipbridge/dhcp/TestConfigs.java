package org.sipbridge.dhcp;

import java.util.List;
import java.util.Optional;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.BridgeSettings;
import org.sipbridge.contract.network.AdapterResolver.Resolution;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.contract.network.NetworkAdapter;
import org.sipbridge.contract.network.ResolvedAdapter;

/** Configs and LAN lookups for the responder's tests. */
final class TestConfigs {

    private TestConfigs() {}

    /** The default config with the LAN adapter, provisioning switch, option code and HTTP port set. */
    static BridgeConfig config(String lanAdapter, boolean provisioning, int optionCode, int httpPort) {
        BridgeSettings d = BridgeSettings.defaults();
        BridgeSettings bridge = new BridgeSettings(
                d.name(),
                List.of("pbx.example.com"),
                d.serverTransport(),
                lanAdapter,
                "tun0",
                d.listenPort(),
                provisioning,
                optionCode,
                d.phoneMacAllowList(),
                httpPort,
                d.provisioningHttpsPort(),
                false,
                "",
                "",
                d.provisioningUpstream(),
                d.sipRegistrationProtocol());
        return BridgeConfig.defaults().withBridge(bridge);
    }

    /** A lookup that finds {@code address} on an adapter named {@code eth1}, whatever the spec. */
    static LanAddressLookup lanAt(String cidr) {
        Ipv4Subnet address = Ipv4Subnet.parse(cidr);
        NetworkAdapter adapter = new NetworkAdapter("eth1", "eth1", true, false, List.of(address));
        return spec -> new Resolution(spec, Optional.of(new ResolvedAdapter(adapter, address)), "");
    }
}
