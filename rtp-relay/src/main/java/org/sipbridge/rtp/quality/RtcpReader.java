package org.sipbridge.rtp.quality;

import io.netty.buffer.ByteBuf;

/**
 * Walks a compound RTCP packet (RFC 3550 §6.4) and feeds sender reports and report blocks to a
 * {@link RoundTripMeter}. Reads at absolute offsets, allocates nothing, never throws on bad input.
 */
public final class RtcpReader {

    static final int SR = 200;
    static final int RR = 201;
    private static final int REPORT_BLOCK = 24;

    private RtcpReader() {}

    /** @return false when the compound packet is malformed (what was read before the fault still counts) */
    public static boolean read(
            ByteBuf packet, int offset, int length, Direction travelled, long nowNanos, RoundTripMeter meter) {
        int end = offset + length;
        int position = offset;
        if (length < RtpHeader.RTCP_MIN_LENGTH) {
            return false;
        }
        while (position + 4 <= end) {
            int first = packet.getUnsignedByte(position);
            if ((first >> 6) != 2) {
                return false;
            }
            int count = first & 0x1f;
            int type = packet.getUnsignedByte(position + 1);
            int size = (packet.getUnsignedShort(position + 2) + 1) * 4;
            if (position + size > end) {
                return false;
            }
            if (type == SR) {
                if (size < 28 + count * REPORT_BLOCK) {
                    return false;
                }
                long ntpSeconds = packet.getUnsignedInt(position + 8);
                long ntpFraction = packet.getUnsignedInt(position + 12);
                int compact = (int) (((ntpSeconds & 0xFFFF) << 16) | (ntpFraction >>> 16));
                meter.senderReport(travelled, compact, nowNanos);
                reportBlocks(packet, position + 28, count, travelled, nowNanos, meter);
            } else if (type == RR) {
                if (size < 8 + count * REPORT_BLOCK) {
                    return false;
                }
                reportBlocks(packet, position + 8, count, travelled, nowNanos, meter);
            }
            position += size;
        }
        return position == end;
    }

    private static void reportBlocks(
            ByteBuf packet, int start, int count, Direction travelled, long nowNanos, RoundTripMeter meter) {
        for (int i = 0; i < count; i++) {
            int block = start + i * REPORT_BLOCK;
            meter.reportBlock(travelled, packet.getInt(block + 16), packet.getUnsignedInt(block + 20), nowNanos);
        }
    }
}
