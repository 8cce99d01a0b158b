package org.sipbridge.daemon;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.sipbridge.config.persistence.ConfigStore;
import org.sipbridge.contract.network.NetworkAdapter;
import org.sipbridge.contract.network.NetworkAdapters;
import org.sipbridge.contract.service.BridgeService;
import org.sipbridge.contract.service.StartFailure;

/**
 * What every feature is wired from: the live config, the data folder, the clock and the XNIO worker the
 * HTTP services share; and how a service bound to the LAN/VPN adapters is made, so each feature says only
 * what is its own.
 */
record DaemonContext(ConfigStore store, Path dataDir, Clock clock, SharedHttpWorker httpWorker) {

    /** The OS's adapters, listed afresh on each call (they come and go). */
    Supplier<List<NetworkAdapter>> adapters() {
        return NetworkAdapters::list;
    }

    /** {@code factory}'s service started on the adapters the config names when it starts. */
    <T extends BridgeService> AdapterBoundService<T> onAdapters(
            String name, StartFailure failure, boolean needsVpn, AdapterBoundService.Factory<T> factory) {
        return new AdapterBoundService<>(name, failure, store::current, adapters(), needsVpn, factory);
    }
}
