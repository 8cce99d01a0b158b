package org.sipbridge.rtp.quality;

import io.netty.buffer.ByteBuf;

/**
 * Reads RTP/RTCP header fields (RFC 3550 §5.1, §6.4) at absolute offsets, leaving the buffer's indexes
 * alone because the same buffer is forwarded afterwards. SRTP/SRTCP keep these fields in the clear.
 */
public final class RtpHeader {

    public static final int RTP_MIN_LENGTH = 12;
    public static final int RTCP_MIN_LENGTH = 8;

    private RtpHeader() {}

    public static boolean isVersion2(ByteBuf packet, int offset) {
        return (packet.getUnsignedByte(offset) >> 6) == 2;
    }

    /**
     * RFC 5761 §4: on a multiplexed port, a second byte of 192..223 (RTCP packet types 192-223, i.e. an
     * RTP marker bit plus payload type 64-95, which multiplexing sessions must not use) is RTCP.
     */
    public static boolean isMultiplexedRtcp(ByteBuf packet, int offset) {
        int second = packet.getUnsignedByte(offset + 1);
        return second >= 192 && second <= 223;
    }

    public static int payloadType(ByteBuf packet, int offset) {
        return packet.getUnsignedByte(offset + 1) & 0x7f;
    }

    public static int sequence(ByteBuf packet, int offset) {
        return packet.getUnsignedShort(offset + 2);
    }

    public static int timestamp(ByteBuf packet, int offset) {
        return packet.getInt(offset + 4);
    }

    public static int ssrc(ByteBuf packet, int offset) {
        return packet.getInt(offset + 8);
    }
}
