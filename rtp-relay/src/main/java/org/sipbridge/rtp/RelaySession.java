package org.sipbridge.rtp;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.sipbridge.contract.LogText;
import org.sipbridge.contract.media.MediaNotAcceptableException;
import org.sipbridge.contract.media.MediaSession;
import org.sipbridge.contract.media.MediaUnavailableException;
import org.sipbridge.rtp.ports.PortPair;
import org.sipbridge.rtp.relay.StreamRelay;
import org.sipbridge.rtp.relay.StreamSnapshot;
import org.sipbridge.rtp.sdp.AnnouncedStream;
import org.sipbridge.rtp.sdp.OriginVersions;
import org.sipbridge.rtp.sdp.SdpParser;
import org.sipbridge.rtp.sdp.SdpRewriter;
import org.sipbridge.rtp.sdp.SessionDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media of one call. Signalling (fromLan/fromVpn) is serialised by {@link #signalling}; it builds new
 * forwarding entries and publishes them with volatile writes, then waits until the event loop has applied
 * them, so when an SDP has been rewritten the relay already follows it. Ending is lock-free
 * ({@link #ended}) because it also happens on the event loop (inactivity), which must never wait for a
 * signalling thread.
 *
 * <p>Every SDP body is checked before it costs a port: at most {@code media.maxStreamsPerCall} m-lines,
 * and addresses the {@link org.sipbridge.rtp.sdp.MediaDestinations} allow; a refusal throws
 * {@link MediaNotAcceptableException} (the SIP relay answers 488) and changes nothing.
 */
final class RelaySession implements MediaSession, InactivityWatch.Watched {

    private static final Logger LOG = LoggerFactory.getLogger(RelaySession.class);
    private static final long LOOP_WAIT_SECONDS = 2;

    /** Unique in this process, so ids never repeat across restarts of the relay; see {@link #id()}. */
    private static final AtomicLong IDS = new AtomicLong();

    private final String id = "m" + IDS.incrementAndGet();
    private final String callId;
    private final Instant started;
    private final EventLoop loop;
    private final SessionContext context;
    private final Object signalling = new Object();
    /** Guarded by {@link #signalling}. */
    private final OriginVersions lanVersions = new OriginVersions();
    /** Guarded by {@link #signalling}. */
    private final OriginVersions vpnVersions = new OriginVersions();
    /** Guarded by {@link #signalling}: how to undo the phone's last SDP, should it be a rejected offer. */
    private Undo lanUndo;
    /** Guarded by {@link #signalling}: how to undo the PBX's last SDP, should it be a rejected offer. */
    private Undo vpnUndo;
    /** The bridge's VPN address for this call's SDP and new streams; changes when the VPN is readdressed. */
    private volatile Inet4Address vpnAddress;
    /** Guarded by {@link #signalling}: the phone's last SDP, the base of a re-offer from a new VPN address. */
    private String lastLanSdp;
    /** By m-line index, {@code null} where an m-line is not relayed; replaced whole (copy on write). */
    private volatile List<StreamRelay> streams;

    private final AtomicBoolean ended = new AtomicBoolean();
    private final CompletableFuture<SessionSnapshot> last = new CompletableFuture<>();
    private volatile ScheduledFuture<?> watch;
    /** What the SIP relay wants done when the relay ends the call's media on its own. */
    private final AtomicReference<Consumer<String>> timeoutAction = new AtomicReference<>();
    /** Set once the session timed out and its ports are free; read by {@link #reportTimeout()}. */
    private volatile String timeoutReason;

    private final AtomicBoolean timeoutReported = new AtomicBoolean();

    private RelaySession(String callId, EventLoop loop, SessionContext context, StreamRelay first) {
        this.callId = callId;
        this.started = Instant.now();
        this.loop = loop;
        this.context = context;
        this.vpnAddress = context.vpn();
        this.streams = Collections.singletonList(first);
    }

    /** Reserves the first stream's four ports at once, so a full port range fails the INVITE early. */
    static RelaySession open(String callId, EventLoop loop, SessionContext context) throws MediaUnavailableException {
        StreamRelay first = openStream(callId, 0, loop, context, context.vpn());
        RelaySession session = new RelaySession(callId, loop, context, first);
        long period = InactivityWatch.periodNanos(context.limits());
        try {
            session.watch = loop.scheduleAtFixedRate(
                    new InactivityWatch(session, context.limits(), System::nanoTime),
                    period,
                    period,
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            first.close();
            throw new MediaUnavailableException("the RTP relay is stopping");
        }
        return session;
    }

    private static StreamRelay openStream(
            String callId, int index, EventLoop loop, SessionContext context, Inet4Address vpnAddress)
            throws MediaUnavailableException {
        return StreamRelay.open(
                callId,
                index,
                loop,
                context.binder(),
                context.lan(),
                vpnAddress,
                context.marks(),
                context.tap(),
                context.vpnLearning());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String callId() {
        return callId;
    }

    @Override
    public String fromLan(String sdp) throws MediaUnavailableException {
        return rewrite(sdp, true);
    }

    @Override
    public String fromVpn(String sdp) throws MediaUnavailableException {
        return rewrite(sdp, false);
    }

    private String rewrite(String sdp, boolean fromLan) throws MediaUnavailableException {
        synchronized (signalling) {
            if (ended.get()) {
                throw new MediaUnavailableException("the media session of call " + callId + " has already ended");
            }
            SessionDescription parsed = SdpParser.parse(sdp);
            acceptable(parsed, fromLan);
            List<AnnouncedStream> announced = AnnouncedStream.of(parsed);
            List<StreamRelay> before = streams;
            List<StreamRelay> current = ensureStreams(announced);
            Undo undo = new Undo(
                    before.stream()
                            .map(s -> s == null ? null : fromLan ? s.lanPeer() : s.vpnPeer())
                            .toList(),
                    current.stream()
                            .filter(s -> s != null && !before.contains(s))
                            .toList());
            List<PortPair> ports = new ArrayList<>(announced.size());
            for (AnnouncedStream stream : announced) {
                StreamRelay relay = stream.relayed() ? current.get(stream.index()) : null;
                ports.add(relay == null ? null : fromLan ? relay.vpnPorts() : relay.lanPorts());
            }
            BigInteger version = (fromLan ? lanVersions : vpnVersions).next(sdp, parsed.origin());
            String rewritten = SdpRewriter.rewrite(parsed, fromLan ? vpnAddress : context.lan(), ports, version);
            for (AnnouncedStream stream : announced) {
                StreamRelay relay = stream.index() < current.size() ? current.get(stream.index()) : null;
                if (relay != null) {
                    if (fromLan) {
                        relay.lanAnnounced(stream);
                    } else {
                        relay.vpnAnnounced(stream);
                    }
                }
            }
            applyOnLoop(current);
            if (ended.get()) {
                current.stream().filter(s -> s != null).forEach(StreamRelay::close); // ended while we bound new ports
                throw new MediaUnavailableException("the media session of call " + callId + " has already ended");
            }
            if (fromLan) {
                lastLanSdp = sdp;
                lanUndo = undo;
            } else {
                vpnUndo = undo;
            }
            return rewritten;
        }
    }

    /** True when one of this session's streams listens on {@code port} (RTP or RTCP) at the VPN address. */
    boolean listensOnVpn(int port) {
        for (StreamRelay stream : streams) {
            if (stream != null
                    && (stream.vpnPorts().rtp() == port || stream.vpnPorts().rtcp() == port)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Moves every stream's VPN sockets to {@code address} (same ports); later SDP toward the PBX names it.
     * A stream that cannot move keeps its old sockets and the failure is thrown after the others moved.
     */
    void moveVpnTo(Inet4Address address) throws MediaUnavailableException {
        synchronized (signalling) {
            vpnAddress = address;
            MediaUnavailableException failed = null;
            for (StreamRelay stream : streams) {
                if (stream == null || ended.get()) {
                    continue;
                }
                try {
                    stream.moveVpnTo(address);
                } catch (MediaUnavailableException e) {
                    failed = e;
                }
            }
            if (failed != null) {
                throw failed;
            }
        }
    }

    @Override
    public String vpnReoffer() throws MediaUnavailableException {
        synchronized (signalling) {
            if (ended.get()) {
                throw new MediaUnavailableException("the media session of call " + callId + " has already ended");
            }
            if (lastLanSdp == null) {
                throw new MediaUnavailableException("the phone has sent no SDP in call " + callId);
            }
            SessionDescription parsed = SdpParser.parse(lastLanSdp);
            List<StreamRelay> current = streams;
            List<PortPair> ports = new ArrayList<>();
            for (AnnouncedStream stream : AnnouncedStream.of(parsed)) {
                StreamRelay relay =
                        stream.relayed() && stream.index() < current.size() ? current.get(stream.index()) : null;
                ports.add(relay == null ? null : relay.vpnPorts());
            }
            return SdpRewriter.rewrite(parsed, vpnAddress, ports, lanVersions.bump());
        }
    }

    @Override
    public void vpnReofferAnswered(String sdp) throws MediaUnavailableException {
        synchronized (signalling) {
            if (ended.get()) {
                throw new MediaUnavailableException("the media session of call " + callId + " has already ended");
            }
            SessionDescription parsed = SdpParser.parse(sdp);
            acceptable(parsed, false);
            List<StreamRelay> current = streams;
            for (AnnouncedStream stream : AnnouncedStream.of(parsed)) {
                StreamRelay relay = stream.index() < current.size() ? current.get(stream.index()) : null;
                if (relay != null) {
                    relay.vpnAnnounced(stream.relayed() ? stream : null);
                }
            }
            applyOnLoop(current);
        }
    }

    /** Refuses, before any port is bound, a body with too many streams or media aimed where it may not go. */
    private void acceptable(SessionDescription parsed, boolean fromLan) throws MediaNotAcceptableException {
        String side = fromLan ? "phone" : "PBX";
        try {
            int max = context.limits().maxStreams();
            if (parsed.media().size() > max) {
                throw new MediaNotAcceptableException(
                        "SDP has " + parsed.media().size()
                                + " m= lines (media streams), more than media.maxStreamsPerCall (" + max + ") allows");
            }
            context.destinations().check(parsed, fromLan);
        } catch (MediaNotAcceptableException e) {
            LOG.warn("Call {}: SDP from the {} refused: {}", LogText.bounded(callId), side, e.getMessage());
            throw e;
        }
    }

    @Override
    public void lanOfferRejected() {
        rollBack(true);
    }

    @Override
    public void vpnOfferRejected() {
        rollBack(false);
    }

    /**
     * RFC 3264 §8: a rejected offer leaves the session as it was. Only the offering side's announcements go
     * back (in a glare the other side's own pending offer stays); streams the offer added are closed. The
     * o= versions stay counted: the other side saw the rejected offer's version, so the next one is higher.
     */
    private void rollBack(boolean fromLan) {
        synchronized (signalling) {
            Undo undo = fromLan ? lanUndo : vpnUndo;
            if (undo == null || ended.get()) {
                return;
            }
            if (fromLan) {
                lanUndo = null;
            } else {
                vpnUndo = null;
            }
            List<StreamRelay> restored = new ArrayList<>(streams);
            for (int index = 0; index < restored.size(); index++) {
                StreamRelay stream = restored.get(index);
                if (stream == null) {
                    continue;
                }
                if (undo.opened().contains(stream)) {
                    stream.close();
                    restored.set(index, null);
                    continue;
                }
                AnnouncedStream previous =
                        index < undo.peers().size() ? undo.peers().get(index) : null;
                if (fromLan) {
                    stream.lanAnnounced(previous);
                } else {
                    stream.vpnAnnounced(previous);
                }
            }
            streams = Collections.unmodifiableList(restored);
            applyOnLoop(restored);
        }
    }

    /** One side's announcements by m-line index before its last SDP, and the streams that SDP opened. */
    private record Undo(List<AnnouncedStream> peers, List<StreamRelay> opened) {}

    /** Opens streams for relayed m-lines that have none yet (a re-offer may add one). */
    private List<StreamRelay> ensureStreams(List<AnnouncedStream> announced) throws MediaUnavailableException {
        List<StreamRelay> current = streams;
        List<StreamRelay> grown = new ArrayList<>(current);
        List<StreamRelay> opened = new ArrayList<>();
        for (AnnouncedStream stream : announced) {
            int index = stream.index();
            if (!stream.relayed() || (index < grown.size() && grown.get(index) != null)) {
                continue;
            }
            while (grown.size() <= index) {
                grown.add(null);
            }
            try {
                StreamRelay relay = openStream(callId, index, loop, context, vpnAddress);
                opened.add(relay);
                grown.set(index, relay);
            } catch (MediaUnavailableException e) {
                opened.forEach(StreamRelay::close); // all or nothing: the SDP is refused as a whole
                throw e;
            }
        }
        if (opened.isEmpty()) {
            return current;
        }
        List<StreamRelay> published = Collections.unmodifiableList(grown);
        streams = published;
        return published;
    }

    /** Lets the event loop take the new entries into use now; bounded wait, never on the loop itself. */
    private void applyOnLoop(List<StreamRelay> current) {
        Runnable refresh = () -> current.stream().filter(s -> s != null).forEach(StreamRelay::refreshLegs);
        if (loop.inEventLoop()) {
            refresh.run();
            return;
        }
        try {
            loop.submit(refresh).awaitUninterruptibly(LOOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException stopping) {
            // the relay is stopping: its shutdown ends this session
        }
    }

    /** Event loop: whether any stream should be carrying packets now (arms the inactivity watch). */
    @Override
    public boolean expectsMedia() {
        for (StreamRelay stream : streams) {
            if (stream != null && stream.expectsMedia()) {
                return true;
            }
        }
        return false;
    }

    /** Event loop: packets relayed so far over all streams and both directions. */
    @Override
    public long activity() {
        long total = 0;
        for (StreamRelay stream : streams) {
            if (stream != null) {
                total += stream.activity();
            }
        }
        return total;
    }

    /** The sessions's streams, for inspection (e.g. reading socket options in tests). */
    List<StreamRelay> streams() {
        return streams.stream().filter(s -> s != null).toList();
    }

    @Override
    public void release() {
        waitFor(end(EndReason.RELEASED));
    }

    /** Event loop: the inactivity watch fired. */
    @Override
    public void expire(EndReason reason) {
        end(reason);
    }

    /**
     * Runs {@code action} once if the relay ends this session on its own; at once (on this thread) if that
     * already happened. A later registration replaces an earlier one that has not run.
     */
    @Override
    public void onTimeout(Consumer<String> action) {
        timeoutAction.set(Objects.requireNonNull(action, "action"));
        reportTimeout();
    }

    private void reportTimeout() {
        String reason = timeoutReason;
        Consumer<String> action = timeoutAction.get();
        if (reason == null || action == null || !timeoutReported.compareAndSet(false, true)) {
            return;
        }
        try {
            action.accept(reason);
        } catch (RuntimeException e) {
            LOG.warn("Call {}: the media timeout handler failed: {}", LogText.bounded(callId), e.toString());
        }
    }

    /** Why the relay ended the media on its own, for the log and the SIP relay; {@code null} otherwise. */
    String timeoutReason() {
        return timeoutReason;
    }

    private String describe(EndReason reason) {
        return switch (reason) {
            case INACTIVITY ->
                "no RTP or RTCP in either direction for "
                        + shown(context.limits().inactivityNanos());
            case HOLD_TIMEOUT ->
                "no two-way media (on hold, inactive, one-way or not answered) for "
                        + shown(context.limits().holdTimeoutNanos()) + " (media.holdTimeoutSec)";
            default -> reason.name();
        };
    }

    private static String shown(long nanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    /** Ends the session without waiting: the service waits for all of them under one deadline. */
    CompletableFuture<SessionSnapshot> shutdown() {
        return end(EndReason.SHUTDOWN);
    }

    private CompletableFuture<SessionSnapshot> end(EndReason reason) {
        if (!ended.compareAndSet(false, true)) {
            return last;
        }
        Runnable finish = () -> finish(reason);
        if (loop.inEventLoop()) {
            finish.run();
        } else {
            try {
                loop.execute(finish);
            } catch (RejectedExecutionException loopStopped) {
                finish.run(); // no loop left to race with
            }
        }
        return last;
    }

    private void finish(EndReason reason) {
        ScheduledFuture<?> scheduled = watch;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        streams.stream().filter(s -> s != null).forEach(StreamRelay::dropEarly); // counted in the final snapshot
        SessionSnapshot snapshot = snapshotNow().ended(Instant.now(), reason);
        logLearnedSources(snapshot);
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (StreamRelay stream : streams) {
            if (stream != null) {
                closing.add(stream.close());
            }
        }
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
            if (reason.timedOut()) {
                timeoutReason = describe(reason);
            }
            context.listener().ended(this, snapshot);
            last.complete(snapshot);
            reportTimeout(); // ports are free by now, as MediaSession.onTimeout promises
        });
    }

    /** Learning mode let media in from where no SDP said: worth a line for whoever checks the PBX's setup. */
    private void logLearnedSources(SessionSnapshot snapshot) {
        for (StreamSnapshot stream : snapshot.streams()) {
            if (stream.vpn().learned()) {
                LOG.info(
                        "Call {}: the PBX's media of stream {} came from {} (RTCP {}) while its SDP announced {} "
                                + "(learned: media.vpnSourceLearning)",
                        LogText.bounded(callId),
                        stream.index(),
                        stream.vpn().latchedRtp(),
                        stream.vpn().latchedRtcp(),
                        stream.vpn().announcedRtp());
            }
        }
    }

    /** Runs on the event loop, or anywhere once the session has ended. */
    private SessionSnapshot snapshotNow() {
        List<StreamSnapshot> snapshots = new ArrayList<>();
        for (StreamRelay stream : streams) {
            if (stream != null) {
                snapshots.add(stream.snapshot(context.alarmAfterNanos()));
            }
        }
        return new SessionSnapshot(id, callId, started, null, null, snapshots);
    }

    /** The session now; if it has ended, its final snapshot. */
    SessionSnapshot snapshot() throws TimeoutException {
        if (last.isDone()) {
            return last.join();
        }
        if (loop.inEventLoop()) {
            return snapshotNow();
        }
        try {
            Future<SessionSnapshot> future = loop.submit(this::snapshotNow);
            if (!future.awaitUninterruptibly(LOOP_WAIT_SECONDS, TimeUnit.SECONDS) || !future.isSuccess()) {
                throw new TimeoutException("the event loop of call " + callId + " did not answer");
            }
            return future.getNow();
        } catch (RejectedExecutionException stopped) {
            throw new TimeoutException("the RTP relay is stopping");
        }
    }

    private void waitFor(CompletableFuture<SessionSnapshot> future) {
        if (loop.inEventLoop()) {
            return;
        }
        try {
            future.get(LOOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException ignored) {
            // release() must not throw; the sockets close with the loop at the latest
        }
    }
}
