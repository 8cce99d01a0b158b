package org.sipbridge.rtp.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One bridge socket and its peer (the phone on a LAN leg, the PBX on a VPN leg), symmetric: the socket
 * receives from the peer and sends to it.
 *
 * <p>Latching: the first packet from the IP the SDP announced fixes the peer's real address (the port may
 * differ from the SDP's, e.g. behind a NAT or a phone that sends from another port); later packets must
 * come from exactly that address. On epoll the socket is then {@code connect()}ed to it: the kernel drops
 * datagrams from anyone else, reads need no sender address object and forwarding writes the bare buffer
 * with no per-packet envelope. On NIO the leg compares addresses itself (see
 * {@link PairBinder#connectsLatchedSockets()}). A new SDP (re-INVITE/UPDATE) swaps the entry; the leg then
 * disconnects and learns again.
 *
 * <p>Learning mode (an entry with {@link ForwardingEntry#learning()}, the VPN legs by default): when nothing
 * has come from the announced IP {@link #LEARN_AFTER_NANOS} after the entry was taken into use, the first
 * packet from a source the entry's {@link org.sipbridge.rtp.sdp.SourceLearning} allows latches instead (a
 * multi-homed media server or an SBC that sends from another address than its SDP says). Earlier packets from
 * such a source are dropped as stray, so the announced address always gets the first chance.
 *
 * <p>Ownership: {@link #entry} is written by signalling threads (volatile). Everything else is owned by the
 * event loop of {@link #channel}, which also runs the opposite leg, so the packet path needs no lock.
 */
// Entries are compared by identity on purpose: the sentinels AWAITING_SDP and NONE are equal records,
// and every new SDP's entry, even one equal to the last, is a swap that forgets the latched source.
@SuppressWarnings("ReferenceEquality")
public final class MediaLeg {

    /** How long the announced address has to send first before learning mode latches another source. */
    public static final long LEARN_AFTER_NANOS = 250_000_000L;

    private final String name;
    private final boolean connectOnLatch;
    private DatagramChannel channel;
    private volatile ForwardingEntry entry = ForwardingEntry.AWAITING_SDP;

    // owned by the event loop
    private ForwardingEntry applied = ForwardingEntry.AWAITING_SDP;
    private final EarlyPackets early = new EarlyPackets();
    private InetSocketAddress latched;
    /** The latched source is not the announced IP: learning mode chose it. */
    private boolean learned;
    /** The last sender refused as stray (the packet's own address object: keeping it allocates nothing). */
    private InetSocketAddress lastStray;

    private long appliedAtNanos = System.nanoTime();
    private boolean connected;
    private boolean flushPending;

    public MediaLeg(String name, boolean connectOnLatch) {
        this.name = name;
        this.connectOnLatch = connectOnLatch;
    }

    /** Set once, after the channel is bound and before the stream is published. */
    void attach(DatagramChannel boundChannel) {
        this.channel = boundChannel;
    }

    /**
     * Event loop: the socket moved to another local address (the VPN came back with a new one). The
     * peer is learned again from the first packet on the new socket, exactly as after a new SDP.
     */
    void reattach(DatagramChannel movedChannel) {
        flush();
        channel = movedChannel;
        connected = false;
        latched = null;
        learned = false;
        appliedAtNanos = System.nanoTime();
    }

    public DatagramChannel channel() {
        return channel;
    }

    /** Signalling: a new SDP says where the peer is. */
    public void update(ForwardingEntry newEntry) {
        entry = newEntry;
    }

    /** What becomes of a received packet. */
    enum Admission {
        /** Relay it. */
        PASS,
        /** This side's SDP is not known yet: keep it ({@link #keepEarly}) until it is. */
        EARLY,
        /** Drop it as stray. */
        REFUSE
    }

    /**
     * Event loop: may a packet from {@code sender}, arrived at {@code arrivalNanos}, pass? Latches the first
     * one from the announced IP, or in learning mode from an allowed source once the announced IP had its
     * chance.
     */
    Admission admit(InetSocketAddress sender, long arrivalNanos) {
        refresh();
        if (latched != null) {
            // connected: the kernel already filtered; otherwise (connect failed) compare ourselves
            return connected || latched.equals(sender) ? Admission.PASS : Admission.REFUSE;
        }
        if (applied == ForwardingEntry.AWAITING_SDP) {
            return Admission.EARLY;
        }
        InetAddress source = sender.getAddress();
        if (applied.acceptFrom() != null && applied.acceptFrom().equals(source)) {
            latch(sender, false);
            return Admission.PASS;
        }
        if (applied.learning() != null
                && arrivalNanos - appliedAtNanos >= LEARN_AFTER_NANOS
                && applied.learning().mayLatch(source)) {
            latch(sender, true);
            return Admission.PASS;
        }
        return Admission.REFUSE;
    }

    /** Event loop: a packet from {@code sender} was dropped as stray; remembered for the one-way audio alarm. */
    void refused(InetSocketAddress sender) {
        lastStray = sender;
    }

    InetSocketAddress lastStray() {
        return lastStray;
    }

    /** Event loop: keeps a packet that came before the SDP; returns one pushed out (to drop), or {@code null}. */
    DatagramPacket keepEarly(DatagramPacket packet, long arrivalNanos) {
        return early.keep(packet, arrivalNanos);
    }

    /** Event loop: kept packets wait for the first SDP (or the end of the stream, see {@link #takeEarly}). */
    boolean hasEarlyToRelease() {
        return !early.isEmpty() && entry != ForwardingEntry.AWAITING_SDP;
    }

    /** Event loop: arrival time of the oldest kept packet; only while {@link #takeEarly} has one. */
    long oldestEarlyArrival() {
        return early.oldestArrival();
    }

    /** Event loop: the oldest kept packet (ownership passes), {@code null} when none is left. */
    DatagramPacket takeEarly() {
        return early.take();
    }

    private void latch(InetSocketAddress sender, boolean byLearning) {
        latched = sender;
        learned = byLearning;
        if (!connectOnLatch) {
            return;
        }
        flush(); // datagrams queued for the announced address go out before the socket is bound to the peer
        ChannelFuture connect = channel.connect(sender);
        // UDP connect completes inline on the event loop; if it did not, keep sending addressed datagrams
        connected = connect.isDone() && connect.isSuccess();
    }

    /** Event loop: sends {@code packet} (ownership passes) to the peer. False when there is nowhere to send it. */
    boolean send(ByteBuf packet) {
        refresh();
        if (!channel.isWritable()) {
            return false;
        }
        if (connected) {
            channel.write(packet, channel.voidPromise());
        } else {
            InetSocketAddress target = latched != null ? latched : applied.announced();
            if (target == null) {
                return false;
            }
            channel.write(new DatagramPacket(packet, target), channel.voidPromise());
        }
        flushPending = true;
        return true;
    }

    /** Event loop: where packets go now (latched, else announced), {@code null} if nowhere. */
    InetSocketAddress destination() {
        return latched != null ? latched : applied.announced();
    }

    InetSocketAddress latched() {
        return latched;
    }

    /** Event loop: the latched source was learned (it is not the IP the SDP announced). */
    boolean learned() {
        return latched != null && learned;
    }

    ForwardingEntry entry() {
        return entry;
    }

    /** Event loop: takes a swapped entry into use, forgetting the latched address. */
    void refresh() {
        ForwardingEntry current = entry;
        if (current == applied) {
            return;
        }
        applied = current;
        appliedAtNanos = System.nanoTime();
        latched = null;
        learned = false;
        if (connected) {
            flush();
            connected = false;
            channel.disconnect();
        }
    }

    void flush() {
        if (flushPending) {
            flushPending = false;
            channel.flush();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
