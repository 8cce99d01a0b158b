package org.sipbridge.sip;

import java.net.BindException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.address.SipURI;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.ProtocolSettings;
import org.sipbridge.config.ServerAddress;
import org.sipbridge.config.Transport;
import org.sipbridge.contract.Failures;
import org.sipbridge.contract.media.MediaRelay;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.contract.network.ResolvedAdapter;
import org.sipbridge.contract.service.BridgeService;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.service.StartFailure;
import org.sipbridge.contract.status.CallStatus;
import org.sipbridge.contract.status.RegistrationStatus;
import org.sipbridge.contract.status.ServerStatus;
import org.sipbridge.sip.auth.StationAuthenticator;
import org.sipbridge.sip.calls.CallRelay;
import org.sipbridge.sip.identity.Admission;
import org.sipbridge.sip.identity.Device;
import org.sipbridge.sip.identity.DigestGuard;
import org.sipbridge.sip.registration.Binding;
import org.sipbridge.sip.registration.BindingTable;
import org.sipbridge.sip.registration.PhoneLimit;
import org.sipbridge.sip.registration.RegistrationMemory;
import org.sipbridge.sip.registration.RegistrationOutcome;
import org.sipbridge.sip.registration.RegistrationRelay;
import org.sipbridge.sip.servers.OptionsProber;
import org.sipbridge.sip.servers.RegistrationGroup;
import org.sipbridge.sip.stack.ConnectionGuard;
import org.sipbridge.sip.stack.ConnectionLimits;
import org.sipbridge.sip.stack.DscpNetworkLayer;
import org.sipbridge.sip.stack.SharedSipTimer;
import org.sipbridge.sip.stack.SipStackFactory;
import org.sipbridge.sip.stack.SipTlsIdentity;
import org.sipbridge.sip.stack.StackThreads;
import org.sipbridge.sip.stack.UdpAnswerValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP relay: listens for the phone on the LAN adapter and for the PBX on the VPN adapter, and
 * relays between them as a B2BUA. Only phones on the home network may use it, and the PBX may reach
 * only what the bridge registered: it must never become an open relay.
 */
public final class SipRelayService implements BridgeService {

    private static final Logger log = LoggerFactory.getLogger(SipRelayService.class);
    public static final long DEFAULT_PROBE_INTERVAL_MS = 15_000;
    /** How often idle connections and stuck TLS handshakes are looked for. */
    private static final long CONNECTION_SWEEP_SECONDS = 5;
    /** jain-sip's factory hands back an existing stack of the same name, so each start gets its own. */
    private static final java.util.concurrent.atomic.AtomicInteger STACKS =
            new java.util.concurrent.atomic.AtomicInteger();

    private final String stackName = "sipbridge-" + STACKS.incrementAndGet();
    private final StackThreads stackThreads = new StackThreads(stackName + "-net");

    private final Supplier<BridgeConfig> config;
    private final MediaRelay media;
    private final Path dataDir;
    private SipTlsIdentity tls;
    private final ResolvedAdapter lan;
    /** Replaced when the VPN comes back with another address ({@link #moveVpnTo}). */
    private volatile ResolvedAdapter vpn;

    private Side vpnSide;
    private final Clock clock;
    private final long probeIntervalMs;
    private final LongAdder refused = new LongAdder();

    private SipStack stack;
    /** Held while the PBX side's listening points change (a VPN move, a TLS listener added or removed, stop). */
    private final Object vpnPoints = new Object();

    private ScheduledExecutorService scheduler;
    private RegistrationGroup group;
    private RegistrationRelay registrations;
    private volatile PhoneLimit phoneLimit;
    private Consumer<RegistrationOutcome> registrationOutcomes = outcome -> {};

    private LargeRequests largeRequests;
    private BindingTable bindings;
    private CallRelay calls;
    private Admission admission;
    private OptionsProber prober;
    private Replies replies;
    private RegistrationMemory memory = new RegistrationMemory();
    private ConnectionLimits connectionLimits = ConnectionLimits.DEFAULTS;
    private ConnectionGuard connections;
    private RelayListener listener;

    public SipRelayService(
            Supplier<BridgeConfig> config,
            MediaRelay media,
            ResolvedAdapter lan,
            ResolvedAdapter vpn,
            Path dataDir,
            Clock clock,
            long probeIntervalMs) {
        this.dataDir = dataDir;
        this.config = config;
        this.media = media;
        this.lan = lan;
        this.vpn = vpn;
        this.clock = clock;
        this.probeIntervalMs = probeIntervalMs;
    }

    /**
     * Shares what the phone registered with the relay's earlier and later runs: on start, this run
     * renews those registrations from its own addresses (after the VPN adapter came back or changed).
     */
    public SipRelayService rememberingRegistrationsIn(RegistrationMemory memory) {
        this.memory = memory;
        return this;
    }

    /** Where the final answer to every phone's REGISTER is reported (the daemon's phone book). Call before start. */
    public SipRelayService reportingRegistrationsTo(Consumer<RegistrationOutcome> listener) {
        this.registrationOutcomes = listener;
        return this;
    }

    /** Other connection limits than {@link ConnectionLimits#DEFAULTS} (tests: a short idle timeout). */
    public SipRelayService withConnectionLimits(ConnectionLimits limits) {
        this.connectionLimits = limits;
        return this;
    }

    /** Without the SIP relay nothing registers or calls: Not Ready. */
    public static final StartFailure START_FAILURE = StartFailure.notReady(
            "Check the adapters under Configuration › Bridge and that no other program uses the SIP ports "
                    + "(protocols.udp.port, protocols.tcp.port).");

    @Override
    public StartFailure startFailure() {
        return START_FAILURE;
    }

    @Override
    public String name() {
        return "sip-relay";
    }

    @Override
    public void start() throws Exception {
        BridgeConfig c = config.get();
        SipStackFactory.Factories sip = SipStackFactory.factories();
        if (c.protocols().tls().enabled()) {
            tls = SipTlsIdentity.load(
                    c.protocols().tls(),
                    dataDir,
                    List.of(Ipv4Subnet.parseAddress(lan.addressText()), Ipv4Subnet.parseAddress(vpn.addressText())),
                    clock);
            DscpNetworkLayer.prepareTls(stackName, tls.context());
        }
        DscpNetworkLayer.prepareLimits(stackName, connectionLimits);
        scheduler = SipTimerThread.start(); // shared with jain-sip's transaction timers (SharedSipTimer)
        try {
            stack = SipStackFactory.create(stackName, c.protocols(), scheduler);
            SipProvider lanProvider = provider(
                    lan.addressText(), c.protocols(), c.protocols().tls().enabled());
            SipProvider vpnProvider = provider(
                    vpn.addressText(),
                    c.protocols(),
                    tlsTowardPbx(c.protocols(), c.bridge().serverTransport()));
            Side lanSide = new Side("lan", lanProvider, lan.addressText());
            // Nothing naming a LAN address may reach the PBX (topology hiding).
            vpnSide = new Side("vpn", vpnProvider, vpn.addressText(), lan.address());
            group = new RegistrationGroup(
                    c.bridge().servers().stream().map(ServerAddress::parse).toList(), clock);
            largeRequests = LargeRequests.forSide(
                    vpnSide, () -> config.get().protocols().tcp().connectTimeoutSec() * 1000, clock);
            Sender toPbx = new Sender(vpnSide, () -> config.get().protocols().udp(), scheduler, largeRequests);
            Sender toPhone = new Sender(lanSide, () -> config.get().protocols().udp(), scheduler);
            Supplier<Transport> serverTransport = () -> config.get().bridge().serverTransport();
            Supplier<Transport> phoneTransport = () -> config.get().bridge().sipRegistrationProtocol();
            StationAuthenticator stations =
                    new StationAuthenticator(sip.headers(), () -> config.get().stations());
            replies = new Replies(sip);
            bindings = new BindingTable(clock);
            admission = new Admission(bindings, stations, new DigestGuard(clock));
            phoneLimit = new PhoneLimit(bindings, () -> config.get().bridge().maxPhones(), clock);
            registrations = new RegistrationRelay(
                    sip,
                    lanSide,
                    toPbx,
                    group,
                    bindings,
                    admission,
                    serverTransport,
                    clock,
                    memory,
                    phoneLimit,
                    registrationOutcomes);
            Side pbxSide = vpnSide;
            calls = CallRelay.builder()
                    .stack(sip, replies)
                    .sides(toPhone, toPbx)
                    .transports(phoneTransport, serverTransport)
                    .servers(group)
                    .bindings(bindings)
                    .admission(admission)
                    .media(media)
                    .clock(clock)
                    .vpnUp(() -> onThisComputer(Ipv4Subnet.parseAddress(pbxSide.address())))
                    .build();
            prober = new OptionsProber(sip, toPbx, group, serverTransport, scheduler, probeIntervalMs);
            group.whenSuspect(prober::probeSoon);
            guardConnections();
            listener = new RelayListener(replies, lanProvider, this::fromLan, this::fromVpn, this::connectionFailed);
            lanProvider.addSipListener(listener);
            vpnProvider.addSipListener(listener);
            stack.start();
            prober.start();
            registrations.renewRemembered();
            log.info(
                    "SIP relay listening on {} (phone side) and {} (PBX side); servers {}",
                    lan.addressText(),
                    vpn.addressText(),
                    group.servers());
        } catch (Exception e) {
            stop();
            throw e;
        }
    }

    /**
     * The VPN adapter came back with another address: the PBX side's listening points move there (same
     * ports, same stack and provider, so every dialog stays), the registrations are renewed from it (the
     * old contacts removed), and every answered call re-INVITEs its PBX leg with the new address in
     * Contact, Via and SDP. Call it after the media relay moved its VPN sockets, so the re-offers name
     * sockets that already listen. Throws when the listening points could not move: then restart.
     */
    public void moveVpnTo(ResolvedAdapter newVpn) throws Exception {
        String before = vpnSide.address();
        synchronized (vpnPoints) {
            VpnListeningPoints.move(
                    stack,
                    vpnSide,
                    newVpn.addressText(),
                    (address, port, transport) -> listeningPoint(
                            address, port, Transport.fromKey(transport.toLowerCase(java.util.Locale.ROOT))));
        }
        vpn = newVpn;
        log.info(
                "SIP relay: PBX side moved from {} to {}; renewing registrations and re-INVITing {} call(s)",
                before,
                newVpn.addressText(),
                calls.activeCalls());
        group.bridgeAddressChanged();
        group.servers().forEach(prober::probeSoon);
        registrations.renewRemembered();
        calls.vpnMoved();
    }

    /**
     * Whether {@code address} is on one of this computer's adapters: a VPN that dropped took its
     * address away (the relays keep their sockets bound to it for when it comes back). Loopback
     * addresses never go away (all of 127.0.0.0/8 is local though only 127.0.0.1 is listed).
     */
    static boolean onThisComputer(InetAddress address) {
        try {
            return address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return true; // cannot tell: let the request try
        }
    }

    /**
     * TCP/TLS connections from an address with a live registration (or from a configured server)
     * are never closed to make room or for idleness; the others are swept every few seconds
     * ({@code stack.ConnectionLimits}).
     */
    private void guardConnections() {
        connections = DscpNetworkLayer.connectionGuard(stackName).orElseThrow();
        BindingTable table = bindings;
        RegistrationGroup servers = group;
        connections.protectAddressesWhere(ip -> table.hasLiveBindingFrom(ip)
                || servers.servers().stream().anyMatch(server -> server.host().equals(ip)));
        scheduler.scheduleWithFixedDelay(
                connections::sweep, CONNECTION_SWEEP_SECONDS, CONNECTION_SWEEP_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Whether the PBX side listens for TLS: only while the PBX is reached over TLS. jain-sip sends over
     * the provider's listening point of the hop's transport, so TLS toward the PBX needs it; otherwise a
     * TLS listener on the VPN address is a port every VPN host can reach that no one uses, and a thread
     * (#19). The phone side listens for TLS whenever TLS is enabled (a phone may choose it). With neither
     * UDP nor TCP enabled, TLS is the side's only transport and stays (a provider needs one).
     */
    static boolean tlsTowardPbx(ProtocolSettings protocols, Transport serverTransport) {
        return protocols.tls().enabled()
                && (serverTransport == Transport.TLS
                        || (!protocols.udp().enabled() && !protocols.tcp().enabled()));
    }

    /**
     * {@code bridge.serverTransport} changed (a live setting; idempotent): the PBX side's TLS listener
     * follows it. When it cannot be bound the failure is logged and TLS toward the PBX fails until then.
     */
    public void serverTransportChanged(Transport transport) {
        synchronized (vpnPoints) {
            if (stack == null) {
                return; // stopped
            }
            ProtocolSettings protocols = config.get().protocols();
            try {
                VpnListeningPoints.keepOnlyIf(
                        tlsTowardPbx(protocols, transport),
                        stack,
                        vpnSide,
                        ListeningPoint.TLS,
                        protocols.tls().port(),
                        (address, port, key) -> listeningPoint(address, port, Transport.TLS));
            } catch (Exception e) {
                log.warn("SIP relay: could not follow bridge.serverTransport {}: {}", transport.key(), e.toString());
            }
        }
    }

    private SipProvider provider(String address, ProtocolSettings protocols, boolean tls) throws Exception {
        List<ListeningPoint> points = new ArrayList<>();
        if (protocols.udp().enabled()) {
            points.add(listeningPoint(address, protocols.udp().port(), Transport.UDP));
        }
        if (protocols.tcp().enabled()) {
            points.add(listeningPoint(address, protocols.tcp().port(), Transport.TCP));
        }
        if (tls) {
            points.add(listeningPoint(address, protocols.tls().port(), Transport.TLS));
        }
        SipProvider provider = stack.createSipProvider(points.get(0));
        for (ListeningPoint point : points.subList(1, points.size())) {
            provider.addListeningPoint(point);
        }
        return provider;
    }

    private ListeningPoint listeningPoint(String address, int port, Transport transport) throws BindException {
        try {
            return stackThreads.call(() -> stack.createListeningPoint(address, port, transport.key()));
        } catch (Exception e) {
            BindException failure =
                    new BindException("cannot listen for SIP " + transport.key().toUpperCase(Locale.ROOT) + " on "
                            + address + ":" + port + ": " + Failures.rootMessage(e));
            failure.initCause(e);
            throw failure;
        }
    }

    /** Requests from the phone side: only from the home network's subnet, each as its device may. */
    private void fromLan(RequestEvent event, Device device) throws Exception {
        Request request = event.getRequest();
        if (!inLanSubnet(device.ip())) {
            refuse(event, "not on the home network", device.ip());
            return;
        }
        String method = request.getMethod();
        if (hasToTag(request)) {
            calls.inDialog(event, "lan", device);
            return;
        }
        switch (method) {
            case Request.REGISTER -> registrations.fromPhone(replies.transactionOf(event), device);
            case Request.CANCEL -> calls.cancel(event, device);
            case Request.ACK -> {}
            case Request.OPTIONS -> {
                if (addressedToBridge(request, lan.addressText())
                        && Messages.user(request.getRequestURI()).isEmpty()) {
                    replies.send(event, Response.OK, null);
                } else {
                    calls.fromPhone(event, device);
                }
            }
            default -> calls.fromPhone(event, device);
        }
    }

    /**
     * Requests from the PBX side: only for what the bridge registered and the calls it relays, and
     * never from the LAN (Linux takes packets for the VPN address on any interface, so a LAN device
     * could otherwise pose as the PBX and ring the phone or hang up its calls).
     */
    private void fromVpn(RequestEvent event, Device device) throws Exception {
        Request request = event.getRequest();
        String method = request.getMethod();
        String remoteIp = device.ip();
        if (inLanSubnet(remoteIp)) {
            refuse(event, "a LAN address on the PBX side", remoteIp);
            return;
        }
        if (hasToTag(request)) {
            if (event.getDialog() == null) {
                if (!Request.ACK.equals(method)) {
                    refuse(event, "no such dialog", remoteIp);
                }
                return;
            }
            calls.inDialog(event, "vpn", null);
            return;
        }
        Optional<Binding> binding = bindingOf(request);
        if (Request.CANCEL.equals(method)) {
            calls.cancel(event, null);
        } else if (Request.ACK.equals(method) || Request.REGISTER.equals(method)) {
            if (Request.REGISTER.equals(method)) {
                refuse(event, "the bridge is not a registrar", remoteIp);
            }
        } else if (binding.isPresent()) {
            calls.fromPbx(event, binding.get());
        } else if (Request.OPTIONS.equals(method) && addressedToBridge(request, vpn.addressText())) {
            replies.send(event, Response.OK, null);
        } else {
            refuse(event, "no such registration or dialog", remoteIp);
        }
    }

    private Optional<Binding> bindingOf(Request request) {
        if (request.getRequestURI() instanceof SipURI uri && uri.getParameter(RegistrationRelay.TOKEN_PARAM) != null) {
            return bindings.byToken(uri.getParameter(RegistrationRelay.TOKEN_PARAM));
        }
        return Optional.empty();
    }

    private static boolean hasToTag(Request request) {
        return ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null;
    }

    /** One uniform 403 whatever the reason, so that nobody learns what is registered; the reason goes to the log. */
    private void refuse(RequestEvent event, String reason, String remoteIp) {
        refused.increment();
        log.info("Refused {} from {}: {}", event.getRequest().getMethod(), remoteIp, reason);
        replies.send(event, Response.FORBIDDEN, Admission.REFUSAL);
    }

    private boolean inLanSubnet(String ip) {
        return Ipv4Literals.isIn(ip, lan.address());
    }

    private static boolean addressedToBridge(Request request, String address) {
        return request.getRequestURI() instanceof SipURI uri && uri.getHost().equals(address);
    }

    private void connectionFailed(String host, int port, String transport) {
        group.byHostPort(host, port).ifPresent(server -> group.failed(server, "connection failed (" + transport + ")"));
    }

    @Override
    public void stop() {
        if (prober != null) {
            prober.stop();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (vpnPoints) {
            if (stack != null) {
                stack.stop();
                stack = null;
                DscpNetworkLayer.forget(stackName);
                SharedSipTimer.forget(stackName);
            }
        }
    }

    /** Takes a changed registration group at once: new requests go to its first healthy server. */
    public void serversChanged(List<String> servers) {
        if (group != null) {
            group.replaceServers(servers.stream().map(ServerAddress::parse).toList());
            log.info("Registration group is now {}", group.servers());
        }
    }

    /** Applies a changed SIP DSCP setting to every open SIP socket at once. */
    public void protocolsChanged(ProtocolSettings protocols) {
        DscpNetworkLayer.setTrafficClass(stackName, SipStackFactory.trafficClass(protocols));
    }

    @Override
    public List<Reason> reasons() {
        if (registrations == null) {
            return List.of();
        }
        List<Reason> reasons = new ArrayList<>(registrations.reasons());
        reasons.addAll(largeRequests.warnings());
        List<String> blocked = admission.guard().blocked();
        if (!blocked.isEmpty()) {
            reasons.add(Reason.warning(
                    "sip",
                    "Requests with passwords from " + String.join(", ", blocked)
                            + " are blocked for a while: the PBX refused too many of their passwords",
                    "If this is a phone, correct its SIP password; otherwise find the device guessing passwords."));
        }
        return reasons;
    }

    public List<ServerStatus> servers() {
        return group == null ? List.of() : group.snapshot();
    }

    /** Active calls (longest first), then the last ended ones. */
    public List<CallStatus> calls() {
        return calls == null ? List.of() : calls.calls();
    }

    public List<RegistrationStatus> registrations() {
        return registrations == null ? List.of() : registrations.registrations();
    }

    /** The certificate SIP over TLS presents (for the Protocols page), if TLS is enabled. */
    public java.util.Optional<org.sipbridge.contract.tls.ListenerCertificate> tlsCertificate() {
        return java.util.Optional.ofNullable(tls).map(SipTlsIdentity::certificate);
    }

    /** TCP/TLS connections refused when accepted: their address or the listener was full. */
    public long refusedConnections() {
        return connections == null ? 0 : connections.refused();
    }

    /** TCP/TLS connections the bridge closed: idle, TLS handshake not finished, or to make room. */
    public long evictedConnections() {
        return connections == null ? 0 : connections.evicted();
    }

    /**
     * TCP connections the bridge opened itself (to a server, a phone, or to answer a request whose
     * connection was gone) and closed: nothing arrived on them for the idle timeout, or their address
     * held more than its share.
     */
    public long closedOutboundConnections() {
        return connections == null ? 0 : connections.closedOutbound();
    }

    /** TCP connections the bridge opened itself that are open now. */
    public int openOutboundConnections() {
        return connections == null ? 0 : connections.openOutbound();
    }

    /**
     * Requests that came over UDP with another transport or a maddr in their Via, answered over UDP
     * to their source all the same.
     */
    public long udpRequestsWithMisleadingVia() {
        return UdpAnswerValve.corrected(stackName);
    }

    /** Requests dropped because the relay could not answer them (e.g. no Max-Forwards, a Via transport not served). */
    public long malformedRequests() {
        return listener == null ? 0 : listener.malformedRequests.sum();
    }

    /** Requests refused by the access policy (strangers, identities of other devices, unknown dialogs, guessing). */
    public long refusedRequests() {
        return refused.sum() + (admission == null ? 0 : admission.refused());
    }

    /** REGISTERs of new phones refused because {@code bridge.maxPhones} phones were registered. */
    public long refusedPhones() {
        return phoneLimit == null ? 0 : phoneLimit.refusedCount();
    }

    /** LAN addresses holding a live registration: what {@code bridge.maxPhones} counts. */
    public int registeredPhones() {
        return bindings == null ? 0 : bindings.liveDeviceAddresses();
    }

    /** The last phone refused by {@code bridge.maxPhones}, if any. */
    public java.util.Optional<PhoneLimit.Refusal> lastRefusedPhone() {
        return phoneLimit == null ? java.util.Optional.empty() : phoneLimit.lastRefusal();
    }

    /** Requests with credentials refused at the bridge because their device guessed too many passwords. */
    public long blockedDigestAttempts() {
        return admission == null ? 0 : admission.guard().refusedAttempts();
    }
}
