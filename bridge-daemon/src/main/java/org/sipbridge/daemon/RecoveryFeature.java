package org.sipbridge.daemon;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.sipbridge.contract.network.AdapterResolver;
import org.sipbridge.contract.service.BridgeService;
import org.sipbridge.daemon.management.CentralConfigService;
import org.sipbridge.daemon.recovery.AdapterWatcher;
import org.sipbridge.daemon.recovery.Rebinder;
import org.sipbridge.daemon.recovery.RecentEvents;
import org.sipbridge.daemon.recovery.RelayMover;

/**
 * Recovery without a restart: the adapter watcher that, when the LAN or VPN adapter changes, moves the
 * relays to a new VPN address or restarts the adapter-bound services through the service manager, records
 * what it did as status events, and has the central configuration fetched again when the VPN returns.
 */
final class RecoveryFeature {

    private final DaemonContext context;
    /** What recovery did, newest first: the status's {@code events}. */
    private final RecentEvents events;

    RecoveryFeature(DaemonContext context) {
        this.context = context;
        this.events = new RecentEvents(context.clock());
    }

    RecentEvents events() {
        return events;
    }

    /** {@code adapterBound}: the services, other than the relays, that listen on an adapter. */
    AdapterWatcher watcher(
            ServiceManager manager,
            CentralConfigService central,
            MediaFeature media,
            SipFeature sip,
            BridgeService... adapterBound) {
        Set<String> bound = Stream.concat(Stream.of(media.service(), sip.service()), Stream.of(adapterBound))
                .map(BridgeService::name)
                .collect(Collectors.toUnmodifiableSet());
        return new AdapterWatcher(
                context.adapters(),
                () -> context.store().current().bridge().lanAdapter(),
                () -> context.store().current().bridge().vpnAdapter(),
                () -> System.nanoTime() / 1_000_000,
                AdapterWatcher.DEBOUNCE_MS,
                central.syncWhenTheVpnReturns(new Rebinder(
                        bound,
                        manager::restart,
                        events,
                        new RelayMover(
                                media.service().name(),
                                media.service()::running,
                                sip.service().name(),
                                sip.service()::running,
                                () -> AdapterResolver.resolve(
                                                context.store()
                                                        .current()
                                                        .bridge()
                                                        .vpnAdapter(),
                                                context.adapters().get())
                                        .adapter()))));
    }
}
