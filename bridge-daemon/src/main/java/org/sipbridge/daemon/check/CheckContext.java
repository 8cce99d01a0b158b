package org.sipbridge.daemon.check;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.contract.network.AdapterResolver;
import org.sipbridge.contract.network.NetworkAdapter;

/**
 * What the checks look at: the config, this computer's adapters (resolved once), whether a
 * sipbridge is running here (then the ports it needs are expected to be taken) and the clock.
 */
record CheckContext(
        BridgeConfig config,
        List<NetworkAdapter> adapters,
        AdapterResolver.Resolution lan,
        AdapterResolver.Resolution vpn,
        boolean sipbridgeRunning,
        String buildTime,
        Clock clock,
        Duration timeout) {

    static CheckContext of(
            BridgeConfig config,
            List<NetworkAdapter> adapters,
            boolean sipbridgeRunning,
            String buildTime,
            Clock clock) {
        return new CheckContext(
                config,
                adapters,
                AdapterResolver.resolve(config.bridge().lanAdapter(), adapters),
                AdapterResolver.resolve(config.bridge().vpnAdapter(), adapters),
                sipbridgeRunning,
                buildTime,
                clock,
                Duration.ofSeconds(3));
    }

    boolean adaptersResolved() {
        return lan.resolved() && vpn.resolved();
    }

    String vpnAddress() {
        return vpn.adapter().orElseThrow().addressText();
    }

    String lanAddress() {
        return lan.adapter().orElseThrow().addressText();
    }
}
