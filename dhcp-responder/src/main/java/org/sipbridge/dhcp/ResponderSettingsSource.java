package org.sipbridge.dhcp;

import java.util.Objects;
import java.util.function.Supplier;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.BridgeSettings;
import org.sipbridge.contract.network.AdapterResolver.Resolution;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.dhcp.reply.IgnoreReason;
import org.sipbridge.dhcp.reply.MacAllowList;
import org.sipbridge.dhcp.reply.ResponderSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the reply settings from the running config at the moment a DHCPINFORM arrives, so that
 * {@code bridge.dhcpOptionCode}, {@code bridge.managedPhoneProvisioning} and the LAN address take
 * effect on the next request without a restart.
 */
final class ResponderSettingsSource {

    private static final Logger log = LoggerFactory.getLogger(ResponderSettingsSource.class);

    /** The settings, or why there are none right now. */
    sealed interface Lookup {
        record Ready(ResponderSettings settings) implements Lookup {}

        record Unavailable(IgnoreReason reason) implements Lookup {}
    }

    private final Supplier<BridgeConfig> config;
    private final LanAddressLookup lan;
    private final MacAllowList allowedMacs;
    /** Last LAN problem logged, to warn once per change rather than once per packet. Event-loop thread only. */
    private String lastLanProblem = "";

    /** @param lan a lookup that reports an unreadable adapter list as unresolved ({@link RecentLanAddress}) */
    ResponderSettingsSource(Supplier<BridgeConfig> config, LanAddressLookup lan, MacAllowList allowedMacs) {
        this.config = Objects.requireNonNull(config, "config");
        this.lan = Objects.requireNonNull(lan, "lan");
        this.allowedMacs = Objects.requireNonNull(allowedMacs, "allowedMacs");
    }

    Lookup current() {
        BridgeSettings bridge = config.get().bridge();
        if (!bridge.managedPhoneProvisioning()) {
            return new Lookup.Unavailable(IgnoreReason.PROVISIONING_OFF);
        }
        Resolution resolution = lan.resolve(bridge.lanAdapter());
        if (!resolution.resolved()) {
            if (!resolution.problem().equals(lastLanProblem)) {
                lastLanProblem = resolution.problem();
                log.warn(
                        "A phone asked for its provisioning URL, but the LAN adapter \"{}\" cannot be used: {}",
                        bridge.lanAdapter(),
                        resolution.problem());
            }
            return new Lookup.Unavailable(IgnoreReason.NO_LAN_ADDRESS);
        }
        lastLanProblem = "";
        Ipv4Subnet address = resolution.adapter().orElseThrow().address();
        // A list given to the constructor wins (tests); otherwise bridge.phoneMacAllowList, live.
        MacAllowList macs = allowedMacs.allowsAny() ? MacAllowList.parse(bridge.phoneMacAllowList()) : allowedMacs;
        return new Lookup.Ready(
                new ResponderSettings(address, bridge.dhcpOptionCode(), ProvisioningUrl.of(address, bridge), macs));
    }
}
