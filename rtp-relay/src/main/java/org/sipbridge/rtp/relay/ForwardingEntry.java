package org.sipbridge.rtp.relay;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.sipbridge.rtp.sdp.SourceLearning;

/**
 * Where one bridge socket's peer is, as signalling last learned it from SDP. Immutable: signalling builds a
 * new entry for every SDP and swaps it in with one volatile write; the packet path only reads it
 * (rtpengine's model).
 *
 * @param announced  where to send until the peer's real source is latched; {@code null}: send nothing
 * @param acceptFrom the IP a packet may come from (the announced one); {@code null}: accept nothing
 * @param learning   learning mode: which other source may be latched when {@code acceptFrom} stays silent;
 *                   {@code null}: strict, only {@code acceptFrom}
 */
public record ForwardingEntry(InetSocketAddress announced, InetAddress acceptFrom, SourceLearning learning) {

    /** Disabled, on hold ({@code c=0.0.0.0}), or a first offer that was refused. */
    public static final ForwardingEntry NONE = new ForwardingEntry(null, null, null);
    /**
     * A leg's entry until its side's first SDP: nothing to send to or accept yet, but packets are kept for when
     * it comes (see {@link EarlyPackets}). Told apart from {@link #NONE} by identity.
     */
    static final ForwardingEntry AWAITING_SDP = new ForwardingEntry(null, null, null);

    public static ForwardingEntry to(InetSocketAddress announced) {
        return to(announced, null);
    }

    /** @param learning {@code null} for strict */
    public static ForwardingEntry to(InetSocketAddress announced, SourceLearning learning) {
        return announced == null ? NONE : new ForwardingEntry(announced, announced.getAddress(), learning);
    }
}
