package org.sipbridge.rtp;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.sipbridge.config.MediaSettings;
import org.sipbridge.contract.LogText;
import org.sipbridge.contract.media.MediaRelay;
import org.sipbridge.contract.media.MediaSession;
import org.sipbridge.contract.media.MediaUnavailableException;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.contract.service.BridgeService;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.service.StartFailure;
import org.sipbridge.io.IoBackend;
import org.sipbridge.rtp.ports.PortAllocator;
import org.sipbridge.rtp.relay.DscpMarks;
import org.sipbridge.rtp.relay.PacketTap;
import org.sipbridge.rtp.relay.PairBinder;
import org.sipbridge.rtp.sdp.AddressPolicy;
import org.sipbridge.rtp.sdp.MediaDestinations;
import org.sipbridge.rtp.sdp.SourceLearning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTP relay: implements {@link MediaRelay} for the SIP relay and runs as a {@link BridgeService}.
 * Each call gets sockets on the LAN adapter (toward the phone) and the VPN adapter (toward the PBX) from
 * {@code media.rtpPortRange}; packets are relayed unchanged with the configured DSCP marks, latched to the
 * sender the SDP announced, and measured per direction. SDP that would hoard ports or aim media where it may
 * not go is refused ({@link AddressPolicy}, {@code media.maxStreamsPerCall}); a session without two-way media
 * for {@code media.holdTimeoutSec}, or silent for the inactivity timeout, is ended and its SIP call told.
 *
 * <p>Threads: one small event loop group (epoll when available) carries every socket; a call's sockets
 * all live on one of its loops. Signalling methods ({@link #allocate}, the {@link MediaSession} methods)
 * block briefly for binds and must be called from signalling threads, never from a relay loop.
 */
public final class RtpRelayService implements BridgeService, MediaRelay {

    public static final Duration DEFAULT_INACTIVITY_TIMEOUT = Duration.ofSeconds(60);
    /** A direction that carried nothing this long after both sides' SDP is one-way audio (the alarm). */
    public static final Duration DEFAULT_ALARM_AFTER = Duration.ofSeconds(5);
    /** Ended sessions kept for the status page. */
    public static final int ENDED_SESSIONS_KEPT = 50;

    private static final Logger LOG = LoggerFactory.getLogger(RtpRelayService.class);
    /**
     * One event loop: a home's calls are a few thousand packets a second, which one loop relays with room to
     * spare (docs/benchmarks.md measures the relay on one core against rtpengine's one thread), and on a
     * laptop every idle thread costs wake-ups. Started with the service, so the relay's threads are fixed.
     */
    static final int EVENT_LOOP_THREADS = 1;

    private final Inet4Address lanAddress;
    /** Changes when the VPN comes back with another address ({@link #moveVpnTo}). */
    private volatile Inet4Address vpnAddress;

    private final Supplier<MediaSettings> settings;
    private final MediaDestinations destinations;
    private final Duration inactivityTimeout;
    private final PacketTap.Factory taps;
    private final IoBackend backend;
    /** Learning mode's bound for the current {@code bridge.servers}; {@code null} from it means strict. */
    private volatile Function<List<String>, SourceLearning> pbxSide;

    private volatile Supplier<List<String>> servers = List::of;
    private volatile Duration alarmAfter = DEFAULT_ALARM_AFTER;

    private final Set<RelaySession> active = ConcurrentHashMap.newKeySet();
    /** Guarded by itself. */
    private final ArrayDeque<SessionSnapshot> ended = new ArrayDeque<>();

    private final AtomicLong allocated = new AtomicLong();
    private final AtomicLong released = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong allocationFailures = new AtomicLong();

    private volatile EventLoopGroup group;
    private volatile PairBinder binder;

    /** A task {@link #onLoopEvery} asked for, or null. */
    private record LoopTask(Duration every, Runnable task) {}

    private volatile LoopTask periodic;

    /**
     * @param lan      the LAN adapter's IPv4 address and prefix (the phone's side): the phone's media must be
     *                 in this subnet
     * @param vpn      the VPN adapter's IPv4 address and prefix (the PBX's side)
     * @param settings read when the relay starts (port range) and when each call starts (DSCP marks, limits)
     */
    public RtpRelayService(Ipv4Subnet lan, Ipv4Subnet vpn, Supplier<MediaSettings> settings) {
        this(lan, vpn, settings, DEFAULT_INACTIVITY_TIMEOUT);
    }

    public RtpRelayService(
            Ipv4Subnet lan, Ipv4Subnet vpn, Supplier<MediaSettings> settings, Duration inactivityTimeout) {
        this(lan, vpn, settings, inactivityTimeout, PacketTap.Factory.NONE);
    }

    /** @param taps where diagnostic captures plug in (one tap per session, or none) */
    public RtpRelayService(
            Ipv4Subnet lan,
            Ipv4Subnet vpn,
            Supplier<MediaSettings> settings,
            Duration inactivityTimeout,
            PacketTap.Factory taps) {
        this(lan, vpn, settings, inactivityTimeout, taps, new AddressPolicy(lan, vpn, LocalAddresses.ipv4()));
    }

    /**
     * @param destinations where SDP may point media: {@link AddressPolicy} in the daemon; a benchmark whose
     *                     phone and PBX both sit on loopback (which the policy refuses) passes its own
     */
    public RtpRelayService(
            Ipv4Subnet lan,
            Ipv4Subnet vpn,
            Supplier<MediaSettings> settings,
            Duration inactivityTimeout,
            PacketTap.Factory taps,
            MediaDestinations destinations) {
        this(lan, vpn, settings, inactivityTimeout, taps, IoBackend.best(), destinations);
    }

    /** Tests use this to run the same relay on NIO as well as epoll. */
    RtpRelayService(
            Ipv4Subnet lan,
            Ipv4Subnet vpn,
            Supplier<MediaSettings> settings,
            Duration inactivityTimeout,
            PacketTap.Factory taps,
            IoBackend backend,
            MediaDestinations destinations) {
        this.lanAddress = ipv4(lan, "LAN");
        this.vpnAddress = ipv4(vpn, "VPN");
        this.settings = Objects.requireNonNull(settings, "settings");
        if (inactivityTimeout.isNegative() || inactivityTimeout.isZero()) {
            throw new IllegalArgumentException("inactivity timeout must be positive: " + inactivityTimeout);
        }
        this.inactivityTimeout = inactivityTimeout;
        this.taps = Objects.requireNonNull(taps, "taps");
        this.backend = Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(destinations, "destinations");
        // a call between two phones behind the bridge may come back from the PBX aimed at a relay port of ours
        this.destinations = destinations instanceof AddressPolicy policy
                ? policy.hairpinningThrough(this::listensOnVpn)
                : destinations;
        // a benchmark's permissive destinations give no bound for learning: strict there
        this.pbxSide = destinations instanceof AddressPolicy policy ? policy::pbxSide : serverList -> null;
    }

    /**
     * Where learning mode ({@code media.vpnSourceLearning}) may latch besides the VPN subnet: the /24 of each
     * IPv4 address in {@code bridge.servers}, read when each call starts.
     */
    public RtpRelayService learningAround(Supplier<List<String>> pbxServers) {
        this.servers = Objects.requireNonNull(pbxServers, "pbxServers");
        return this;
    }

    /**
     * Runs {@code task} on the relay's event loop every {@code every} while the relay runs (from its next
     * start). For work on the sessions' stats, which that loop owns: {@link #allSessions} called there takes
     * each snapshot in place, waiting on no other thread, and the work needs no thread of its own (the
     * daemon's call-quality history samples this way). The task must be quick, since packets wait behind it;
     * an exception is logged and the next run still comes.
     */
    public RtpRelayService onLoopEvery(Duration every, Runnable task) {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("the interval must be positive: " + every);
        }
        this.periodic = new LoopTask(every, Objects.requireNonNull(task, "task"));
        return this;
    }

    /** Tests wait less than {@link #DEFAULT_ALARM_AFTER} for the one-way audio alarm; applies to the next call. */
    RtpRelayService alarmAfter(Duration silence) {
        this.alarmAfter = Objects.requireNonNull(silence, "silence");
        return this;
    }

    /** Tests on loopback (which {@link AddressPolicy} refuses) give their own bound for learning mode. */
    RtpRelayService learningWithin(Function<List<String>, SourceLearning> bound) {
        this.pbxSide = Objects.requireNonNull(bound, "bound");
        return this;
    }

    private static Inet4Address ipv4(Ipv4Subnet subnet, String adapter) {
        Objects.requireNonNull(subnet, adapter);
        if (subnet.address() == 0) {
            throw new IllegalArgumentException(adapter + " adapter address must be a specific IPv4 address: " + subnet);
        }
        return Ipv4Subnet.parseAddress(subnet.addressText());
    }

    /** Calls need media: without the relay the bridge is Not Ready. */
    public static final StartFailure START_FAILURE = StartFailure.notReady(
            "Check the adapters under Configuration › Bridge and that media.rtpPortRange has free ports.");

    @Override
    public StartFailure startFailure() {
        return START_FAILURE;
    }

    @Override
    public String name() {
        return "rtp-relay";
    }

    @Override
    public synchronized void start() {
        if (group != null) {
            return;
        }
        PortAllocator allocator = new PortAllocator(settings.get().rtpPorts());
        binder = new PairBinder(backend, allocator);
        group = new MultiThreadIoEventLoopGroup(
                EVENT_LOOP_THREADS, new DefaultThreadFactory("rtp-relay", true), backend.ioHandlerFactory());
        // Netty starts a loop's thread with its first task; start them all now, so the relay's threads are
        // a fixed set from start (a thread appearing after an attack's calls would read as a leak).
        group.forEach(loop -> loop.execute(() -> {}));
        LoopTask repeated = periodic;
        if (repeated != null) {
            long everyMs = repeated.every().toMillis();
            group.next()
                    .scheduleWithFixedDelay(() -> runQuietly(repeated.task()), everyMs, everyMs, TimeUnit.MILLISECONDS);
        }
        LOG.info(
                "RTP relay on {} (LAN) and {} (VPN), ports {}, {} event loop thread(s) with {}",
                lanAddress.getHostAddress(),
                vpnAddress.getHostAddress(),
                allocator.range(),
                EVENT_LOOP_THREADS,
                backend);
    }

    /** A periodic task that throws would be cancelled by netty: log it and keep the schedule. */
    private static void runQuietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("RTP relay: a periodic task failed (it runs again): {}", e.toString());
            LOG.debug("RTP relay: periodic task failure", e);
        }
    }

    @Override
    public synchronized void stop() {
        EventLoopGroup running = group;
        if (running == null) {
            return;
        }
        try {
            CompletableFuture.allOf(active.stream().map(RelaySession::shutdown).toArray(CompletableFuture[]::new))
                    .get(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("RTP relay: not every session ended cleanly on stop: {}", e.toString());
        }
        running.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        group = null;
    }

    @Override
    public MediaSession allocate(String callId) throws MediaUnavailableException {
        EventLoopGroup running = group;
        PairBinder ports = binder;
        if (running == null || ports == null) {
            allocationFailures.incrementAndGet();
            throw new MediaUnavailableException("the RTP relay is not running");
        }
        MediaSettings media = settings.get();
        SessionContext context = new SessionContext(
                ports,
                lanAddress,
                vpnAddress,
                DscpMarks.of(media),
                taps.forSession(callId),
                SessionLimits.of(media, inactivityTimeout.toNanos()),
                destinations,
                media.vpnSourceLearning() ? pbxSide.apply(servers.get()) : null,
                alarmAfter.toNanos(),
                this::ended);
        try {
            RelaySession session = RelaySession.open(callId, running.next(), context);
            active.add(session);
            allocated.incrementAndGet();
            return session;
        } catch (MediaUnavailableException e) {
            allocationFailures.incrementAndGet();
            LOG.warn("No media for call {}: {}", LogText.bounded(callId), e.getMessage());
            throw e;
        }
    }

    /** True when a live session's stream listens on {@code port} (RTP or RTCP) at the VPN address. */
    private boolean listensOnVpn(int port) {
        return active.stream().anyMatch(session -> session.listensOnVpn(port));
    }

    private void ended(RelaySession session, SessionSnapshot last) {
        active.remove(session);
        (last.endReason().timedOut() ? timedOut : released).incrementAndGet();
        synchronized (ended) {
            if (ended.size() == ENDED_SESSIONS_KEPT) {
                ended.removeFirst();
            }
            ended.addLast(last);
        }
        if (last.endReason().timedOut()) {
            LOG.info(
                    "Call {}: media ended by the relay ({}), ports freed; the SIP relay is told to hang up",
                    LogText.bounded(last.callId()),
                    session.timeoutReason());
        }
    }

    /**
     * The VPN adapter came back with another address: every call's VPN sockets move to it (same ports, so
     * nothing is allocated and the port range stays as it was), and new calls bind there. Calls whose
     * sockets cannot move are named in the returned problems; they keep their old sockets.
     */
    public synchronized List<String> moveVpnTo(Ipv4Subnet vpn) {
        Inet4Address address = ipv4(vpn, "VPN");
        Inet4Address before = vpnAddress;
        vpnAddress = address;
        List<String> problems = new ArrayList<>();
        for (RelaySession session : active) {
            try {
                session.moveVpnTo(address);
            } catch (MediaUnavailableException e) {
                problems.add("call " + LogText.bounded(session.callId()) + ": " + e.getMessage());
            }
        }
        LOG.info(
                "RTP relay: VPN side moved from {} to {} ({} call(s), {} could not move)",
                before.getHostAddress(),
                address.getHostAddress(),
                active.size(),
                problems.size());
        return problems;
    }

    /** The active sessions, oldest first; a session whose event loop does not answer in time is left out. */
    public List<SessionSnapshot> sessions() {
        List<SessionSnapshot> snapshots = new ArrayList<>();
        for (RelaySession session : active) {
            try {
                snapshots.add(session.snapshot());
            } catch (TimeoutException e) {
                LOG.debug("No snapshot of call {}: {}", session.callId(), e.getMessage());
            }
        }
        snapshots.sort((a, b) -> a.started().compareTo(b.started()));
        return snapshots;
    }

    /** The last {@value #ENDED_SESSIONS_KEPT} ended sessions, oldest first, with their final stats. */
    public List<SessionSnapshot> endedSessions() {
        synchronized (ended) {
            return List.copyOf(ended);
        }
    }

    /** Every session the relay still knows: the active ones, then the ended ones it keeps. */
    public List<SessionSnapshot> allSessions() {
        List<SessionSnapshot> all = new ArrayList<>(sessions());
        all.addAll(endedSessions());
        return all;
    }

    public RelayCounters counters() {
        PairBinder ports = binder;
        return new RelayCounters(
                allocated.get(),
                released.get(),
                timedOut.get(),
                allocationFailures.get(),
                active.size(),
                ports == null ? 0 : ports.allocator().available());
    }

    /**
     * Warnings: while the port range is used up (calls are refused, but the bridge still registers), and for
     * each active call with one-way or no audio ({@link org.sipbridge.rtp.relay.FlowAlarm}), while it lasts.
     */
    @Override
    public List<Reason> reasons() {
        List<Reason> reasons = new ArrayList<>();
        PairBinder ports = binder;
        if (ports != null && ports.allocator().available() < 2) {
            reasons.add(Reason.warning(
                    name(),
                    "All RTP ports in " + ports.allocator().range() + " are in use; new calls are refused",
                    "Widen media.rtpPortRange (each call needs 4 ports) or end stuck calls"));
        }
        if (!active.isEmpty()) {
            for (SessionSnapshot session : sessions()) {
                if (session.alarm() != null) {
                    reasons.add(Reason.warning(
                            name(),
                            "Call " + LogText.bounded(session.callId()) + ": "
                                    + session.alarm().detail(),
                            session.alarm().fix()));
                }
            }
        }
        return reasons;
    }

    /** For tests in this package: the live session objects. */
    Set<RelaySession> activeSessions() {
        return Set.copyOf(active);
    }

    IoBackend backend() {
        return backend;
    }
}
