package org.sipbridge.rtp.relay;

import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;

/**
 * Receive buffer sizing. RTP and RTCP datagrams stay below the path MTU (≈1500 bytes, less over a VPN),
 * so one pooled 2048-byte buffer per datagram never grows or shrinks. The kernel silently truncates a
 * larger datagram to the buffer, so a datagram that fills the buffer exactly is treated as truncated and
 * dropped rather than forwarded corrupt.
 *
 * <p>recvmmsg (several datagrams per system call) would need buffers of N × 2048 and pays off only when
 * several datagrams queue on one socket; an RTP socket gets one every 20 ms, so one datagram per read is
 * the cheaper choice here (and on a connected socket it avoids a sender address object per packet).
 */
public final class ReceiveBuffers {

    public static final int DATAGRAM_SIZE = 2048;

    private ReceiveBuffers() {}

    public static RecvByteBufAllocator allocator() {
        return new FixedRecvByteBufAllocator(DATAGRAM_SIZE);
    }

    public static boolean possiblyTruncated(int length) {
        return length >= DATAGRAM_SIZE;
    }
}
