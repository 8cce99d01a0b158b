package org.sipbridge.rtp.relay;

import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sipbridge.contract.media.MediaUnavailableException;
import org.sipbridge.rtp.ports.PortPair;
import org.sipbridge.rtp.quality.Direction;
import org.sipbridge.rtp.quality.DirectionSnapshot;
import org.sipbridge.rtp.quality.DirectionStats;
import org.sipbridge.rtp.quality.RoundTripMeter;
import org.sipbridge.rtp.sdp.AnnouncedStream;
import org.sipbridge.rtp.sdp.SourceLearning;

/**
 * One relayed m-line: four sockets (RTP and RTCP on the LAN adapter and on the VPN adapter), all on one
 * event loop so both directions share its thread.
 *
 * <p>Ownership: {@link #lanPeer}, {@link #vpnPeer}, {@link #media} and the legs' entries are written by
 * signalling threads (volatile, immutable values). Stats, the round-trip meter, {@link #socketErrors} and
 * the legs' latching state belong to the event loop; {@link #snapshot(long)} and {@link #activity()} must run
 * there. {@link #close()} may be called from anywhere.
 */
public final class StreamRelay {

    private final String callId;
    private final int index;
    private final EventLoop loop;
    private final PairBinder binder;
    private final PacketTap tap;
    /** Learning mode for the PBX's legs, {@code null} for strict. */
    private final SourceLearning vpnLearning;

    private final MediaLeg lanRtp;
    private final MediaLeg lanRtcp;
    private final MediaLeg vpnRtp;
    private final MediaLeg vpnRtcp;
    private final DirectionStats lanToVpn = new DirectionStats(Direction.LAN_TO_VPN);
    private final DirectionStats vpnToLan = new DirectionStats(Direction.VPN_TO_LAN);
    private final RoundTripMeter meter = new RoundTripMeter();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();

    private volatile StreamMedia media = StreamMedia.UNKNOWN;
    private volatile AnnouncedStream lanPeer;
    private volatile AnnouncedStream vpnPeer;
    /** {@link System#nanoTime()} of the last SDP either side announced for this stream. */
    private volatile long announcedAtNanos = System.nanoTime();
    /** Owned by the event loop. */
    private long socketErrors;

    /** Written before the stream is published to the packet path (the first non-NONE entry). */
    private BoundPair lan;
    /** Replaced on the event loop when the VPN address changes ({@link #moveVpnTo}). */
    private volatile BoundPair vpn;
    /** The marks the sockets were bound with, for rebinding on a new VPN address. */
    private DscpMarks marks;

    private StreamRelay(
            String callId, int index, EventLoop loop, PairBinder binder, PacketTap tap, SourceLearning vpnLearning) {
        this.callId = callId;
        this.index = index;
        this.loop = loop;
        this.binder = binder;
        this.tap = tap;
        this.vpnLearning = vpnLearning;
        boolean connect = binder.connectsLatchedSockets();
        this.lanRtp = new MediaLeg("LAN RTP", connect);
        this.lanRtcp = new MediaLeg("LAN RTCP", connect);
        this.vpnRtp = new MediaLeg("VPN RTP", connect);
        this.vpnRtcp = new MediaLeg("VPN RTCP", connect);
    }

    /**
     * Binds the four sockets. Signalling thread only (it waits for the binds).
     *
     * @param vpnLearning learning mode for the PBX's legs ({@code media.vpnSourceLearning}), {@code null} for strict
     */
    public static StreamRelay open(
            String callId,
            int index,
            EventLoop loop,
            PairBinder binder,
            InetAddress lanAddress,
            InetAddress vpnAddress,
            DscpMarks marks,
            PacketTap tap,
            SourceLearning vpnLearning)
            throws MediaUnavailableException {
        StreamRelay stream = new StreamRelay(callId, index, loop, binder, tap, vpnLearning);
        stream.marks = marks;
        stream.lan = binder.bind(
                loop,
                lanAddress,
                marks,
                () -> stream.handler(callId, stream.lanRtp, stream.vpnRtp, stream.lanToVpn, false),
                () -> stream.handler(callId, stream.lanRtcp, stream.vpnRtcp, stream.lanToVpn, true));
        try {
            stream.vpn = binder.bind(
                    loop,
                    vpnAddress,
                    marks,
                    () -> stream.handler(callId, stream.vpnRtp, stream.lanRtp, stream.vpnToLan, false),
                    () -> stream.handler(callId, stream.vpnRtcp, stream.lanRtcp, stream.vpnToLan, true));
        } catch (MediaUnavailableException | RuntimeException e) {
            stream.lan.rtp().close().awaitUninterruptibly();
            stream.lan.rtcp().close().awaitUninterruptibly();
            binder.release(stream.lan.ports());
            throw e;
        }
        stream.lanRtp.attach(stream.lan.rtp());
        stream.lanRtcp.attach(stream.lan.rtcp());
        stream.vpnRtp.attach(stream.vpn.rtp());
        stream.vpnRtcp.attach(stream.vpn.rtcp());
        return stream;
    }

    /**
     * Moves the two VPN sockets to {@code address}, same ports: binds the new ones, then on the event loop
     * swaps them into the legs (which learn the PBX's address again) and closes the old ones. Nothing on the
     * packet path changes: it reads the leg's socket, now the new one. Signalling thread only.
     */
    public void moveVpnTo(InetAddress address) throws MediaUnavailableException {
        BoundPair old = vpn;
        InetSocketAddress local = old.rtp().localAddress();
        if (local != null && local.getAddress().equals(address)) {
            return;
        }
        BoundPair moved = binder.rebind(
                loop,
                address,
                old.ports(),
                marks,
                () -> handler(callId, vpnRtp, lanRtp, vpnToLan, false),
                () -> handler(callId, vpnRtcp, lanRtcp, vpnToLan, true));
        Runnable swap = () -> {
            if (closed.get()) {
                moved.rtp().close();
                moved.rtcp().close();
                return;
            }
            vpn = moved;
            vpnRtp.reattach(moved.rtp());
            vpnRtcp.reattach(moved.rtcp());
            old.rtp().close();
            old.rtcp().close();
        };
        try {
            if (loop.inEventLoop()) {
                swap.run();
            } else if (!loop.submit(swap).awaitUninterruptibly(5, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new MediaUnavailableException("the event loop did not take the new VPN sockets in time");
            }
        } catch (RejectedExecutionException stopping) {
            moved.rtp().close();
            moved.rtcp().close();
            throw new MediaUnavailableException("the RTP relay is stopping");
        }
    }

    private RelayHandler handler(String callId, MediaLeg in, MediaLeg out, DirectionStats stats, boolean rtcp) {
        return new RelayHandler(this, in, out, stats, rtcp, new TapPoint(callId, index, stats.direction(), rtcp));
    }

    public int index() {
        return index;
    }

    public PortPair lanPorts() {
        return lan.ports();
    }

    public PortPair vpnPorts() {
        return vpn.ports();
    }

    /** The four sockets, LAN RTP, LAN RTCP, VPN RTP, VPN RTCP: for status and tests (e.g. reading IP_TOS back). */
    public List<DatagramChannel> channels() {
        return List.of(lan.rtp(), lan.rtcp(), vpn.rtp(), vpn.rtcp());
    }

    /** Signalling: the phone's SDP for this m-line ({@code null}: none, when a rejected first offer is undone). */
    public void lanAnnounced(AnnouncedStream peer) {
        lanPeer = peer;
        lanRtp.update(rtpEntry(peer));
        lanRtcp.update(rtcpEntry(peer));
        media = StreamMedia.of(peer, vpnPeer);
        announcedAtNanos = System.nanoTime();
    }

    /** Signalling: the PBX's SDP for this m-line ({@code null}: none, when a rejected first offer is undone). */
    public void vpnAnnounced(AnnouncedStream peer) {
        vpnPeer = peer;
        vpnRtp.update(peer == null ? ForwardingEntry.NONE : ForwardingEntry.to(peer.rtp(), vpnLearning));
        vpnRtcp.update(peer == null ? ForwardingEntry.NONE : ForwardingEntry.to(peer.rtcp(), vpnLearning));
        media = StreamMedia.of(lanPeer, peer);
        announcedAtNanos = System.nanoTime();
    }

    private static ForwardingEntry rtpEntry(AnnouncedStream peer) {
        return peer == null ? ForwardingEntry.NONE : ForwardingEntry.to(peer.rtp());
    }

    private static ForwardingEntry rtcpEntry(AnnouncedStream peer) {
        return peer == null ? ForwardingEntry.NONE : ForwardingEntry.to(peer.rtcp());
    }

    /** What the phone's SDP last announced for this m-line, {@code null} before it announced anything. */
    public AnnouncedStream lanPeer() {
        return lanPeer;
    }

    /** What the PBX's SDP last announced for this m-line, {@code null} before it announced anything. */
    public AnnouncedStream vpnPeer() {
        return vpnPeer;
    }

    /** Both sides announced a reachable two-way stream (not on hold): packets should flow both ways. */
    public boolean expectsMedia() {
        return live(lanPeer) && live(vpnPeer);
    }

    private static boolean live(AnnouncedStream peer) {
        return peer != null && peer.rtp() != null && peer.sendRecv();
    }

    /**
     * Event loop: applies swapped entries now (disconnecting latched sockets), not at the next packet, and
     * relays what arrived before a side's first SDP.
     */
    public void refreshLegs() {
        lanRtp.refresh();
        lanRtcp.refresh();
        vpnRtp.refresh();
        vpnRtcp.refresh();
        long now = System.nanoTime();
        handlers().forEach(handler -> handler.releaseEarly(now));
    }

    /** Event loop, when the session ends: packets kept for an SDP that never came are dropped (and counted). */
    public void dropEarly() {
        handlers().forEach(RelayHandler::dropEarly);
    }

    private List<RelayHandler> handlers() {
        return channels().stream()
                .map(channel -> channel.pipeline().get(RelayHandler.class))
                .filter(handler -> handler != null)
                .toList();
    }

    /** Event loop: packets relayed so far in both directions. */
    public long activity() {
        return lanToVpn.activity() + vpnToLan.activity();
    }

    /**
     * Event loop.
     *
     * @param alarmAfterNanos how long a direction may carry nothing after the SDP (one-way alarm)
     */
    public StreamSnapshot snapshot(long alarmAfterNanos) {
        long lanLeg = meter.roundTripNanos(Direction.LAN_TO_VPN);
        long vpnLeg = meter.roundTripNanos(Direction.VPN_TO_LAN);
        Double roundTrip = lanLeg < 0 && vpnLeg < 0 ? null : (Math.max(0, lanLeg) + Math.max(0, vpnLeg)) / 1e6;
        double roundTripMs = roundTrip == null ? Double.NaN : roundTrip;
        StreamMedia current = media;
        AnnouncedStream lanSide = lanPeer;
        AnnouncedStream vpnSide = vpnPeer;
        String kind = lanSide != null ? lanSide.media() : vpnSide != null ? vpnSide.media() : null;
        LegSnapshot lanSnapshot = legSnapshot(lan, lanRtp, lanRtcp);
        LegSnapshot vpnSnapshot = legSnapshot(vpn, vpnRtp, vpnRtcp);
        DirectionSnapshot up = lanToVpn.snapshot(current.lanToVpn(), lanLeg, roundTripMs);
        DirectionSnapshot down = vpnToLan.snapshot(current.vpnToLan(), vpnLeg, roundTripMs);
        FlowAlarm alarm = FlowAlarm.assess(
                expectsMedia(),
                System.nanoTime() - announcedAtNanos,
                alarmAfterNanos,
                up,
                down,
                lanSnapshot,
                vpnSnapshot);
        return new StreamSnapshot(index, kind, lanSnapshot, vpnSnapshot, up, down, roundTrip, socketErrors, alarm);
    }

    private static LegSnapshot legSnapshot(BoundPair pair, MediaLeg rtp, MediaLeg rtcp) {
        InetSocketAddress bridge = pair.rtp().localAddress();
        return new LegSnapshot(
                bridge,
                rtp.entry().announced(),
                rtp.latched(),
                rtcp.entry().announced(),
                rtcp.latched(),
                rtp.learned() || rtcp.learned(),
                rtp.lastStray() != null ? rtp.lastStray() : rtcp.lastStray());
    }

    StreamMedia media() {
        return media;
    }

    RoundTripMeter meter() {
        return meter;
    }

    PacketTap tap() {
        return tap;
    }

    void socketError() {
        socketErrors++;
    }

    /**
     * Closes the four sockets on the event loop (where closing a UDP socket completes at once) and then gives
     * the ports back. Idempotent; the future completes when the ports are free again.
     */
    public CompletableFuture<Void> close() {
        if (!closed.compareAndSet(false, true)) {
            return closedFuture;
        }
        if (loop.inEventLoop()) {
            closeNow();
        } else {
            try {
                loop.execute(this::closeNow);
            } catch (RejectedExecutionException loopShutDown) {
                closeNow(); // the loop's shutdown already closed the sockets; this only frees the ports
            }
        }
        return closedFuture;
    }

    private void closeNow() {
        for (DatagramChannel channel : channels()) {
            channel.close();
        }
        binder.release(lan.ports());
        binder.release(vpn.ports());
        closedFuture.complete(null);
    }
}
