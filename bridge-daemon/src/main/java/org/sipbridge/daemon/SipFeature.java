package org.sipbridge.daemon;

import java.util.List;
import java.util.function.Supplier;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.contract.media.MediaRelay;
import org.sipbridge.contract.metrics.MetricSource;
import org.sipbridge.contract.status.CallStatus;
import org.sipbridge.contract.status.StatusPart;
import org.sipbridge.daemon.phones.PhoneBook;
import org.sipbridge.sip.SipMetrics;
import org.sipbridge.sip.SipRelayService;
import org.sipbridge.sip.SipStatus;
import org.sipbridge.sip.registration.RegistrationMemory;

/**
 * SIP: the SIP relay on the LAN and VPN adapters, taking media from {@code media}, telling the phone book
 * about registrations and following the live SIP settings; Connect / Disconnect; its status part and metrics.
 */
final class SipFeature {

    private final AdapterBoundService<SipRelayService> relay;
    private final SipConnection connection;
    private final Supplier<BridgeConfig> config;

    SipFeature(DaemonContext context, MediaRelay media, PhoneBook phoneBook) {
        RegistrationMemory registrationMemory = new RegistrationMemory(); // outlives restarts of the relay
        relay = context.onAdapters(
                "sip-relay",
                SipRelayService.START_FAILURE,
                true,
                (lan, vpn) -> new SipRelayService(
                                context.store()::current,
                                media,
                                lan,
                                vpn,
                                context.dataDir(),
                                context.clock(),
                                SipRelayService.DEFAULT_PROBE_INTERVAL_MS)
                        .rememberingRegistrationsIn(registrationMemory)
                        .reportingRegistrationsTo(phoneBook::registered));
        relay.follow(context.store(), BridgeConfig::protocols, SipRelayService::protocolsChanged);
        relay.follow(context.store(), c -> c.bridge().servers(), SipRelayService::serversChanged);
        relay.follow(context.store(), c -> c.bridge().serverTransport(), SipRelayService::serverTransportChanged);
        connection = new SipConnection(relay);
        config = context.store()::current;
    }

    AdapterBoundService<SipRelayService> service() {
        return relay;
    }

    /** Connect / Disconnect on Configuration › Bridge; also a status part (Not Ready while disconnected). */
    SipConnection connection() {
        return connection;
    }

    /** Calls in progress and the last ended ones. */
    Supplier<List<CallStatus>> calls() {
        return () -> relay.running().map(SipRelayService::calls).orElse(List.of());
    }

    int registeredPhones() {
        return relay.running().map(SipRelayService::registeredPhones).orElse(0);
    }

    StatusPart status() {
        return SipStatus.of(relay::running, () -> config.get().bridge().servers());
    }

    MetricSource metrics() {
        return SipMetrics.of(relay::running);
    }
}
