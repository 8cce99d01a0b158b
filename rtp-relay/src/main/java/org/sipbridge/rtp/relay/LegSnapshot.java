package org.sipbridge.rtp.relay;

import java.net.InetSocketAddress;

/**
 * One side of a stream at one instant.
 *
 * @param bridgeRtp     the bridge's RTP socket on this adapter (RTCP is the next port)
 * @param announcedRtp  where this side's SDP asked for RTP, {@code null} before its SDP or on hold
 * @param latchedRtp    where its RTP really comes from, {@code null} before the first packet
 * @param announcedRtcp where its SDP asked for RTCP ({@code a=rtcp} or RTP port + 1)
 * @param latchedRtcp   where its RTCP really comes from
 * @param learned       learning mode latched RTP or RTCP to a source other than the announced address
 * @param lastStray     the last source whose packets this side's sockets dropped as stray, {@code null} if none
 */
public record LegSnapshot(
        InetSocketAddress bridgeRtp,
        InetSocketAddress announcedRtp,
        InetSocketAddress latchedRtp,
        InetSocketAddress announcedRtcp,
        InetSocketAddress latchedRtcp,
        boolean learned,
        InetSocketAddress lastStray) {}
