package org.sipbridge.rtp.capture;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The classic pcap format (what Wireshark and tshark read): a 24-byte file header, then per packet
 * a 16-byte record header and the packet. Captured packets are written as IPv4/UDP datagrams
 * (LINKTYPE_RAW) rebuilt from the addresses the relay saw; protected captures use LINKTYPE_USER0
 * so no tool mistakes their sealed records for packets. Pure encoding, little-endian headers.
 */
public final class Pcap {

    public static final int LINKTYPE_RAW = 101;
    public static final int LINKTYPE_USER0 = 147;
    public static final int FILE_HEADER = 24;
    public static final int RECORD_HEADER = 16;
    public static final int IP_UDP_HEADERS = 28;
    static final int MAGIC = 0xa1b2c3d4;
    static final int SNAPLEN = 65535;

    private Pcap() {}

    public static void fileHeader(ByteBuffer out, int linkType) {
        out.order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC)
                .putShort((short) 2)
                .putShort((short) 4)
                .putInt(0)
                .putInt(0)
                .putInt(SNAPLEN)
                .putInt(linkType);
    }

    public static void recordHeader(ByteBuffer out, long timestampMicros, int capturedLength, int originalLength) {
        out.order(ByteOrder.LITTLE_ENDIAN);
        out.putInt((int) (timestampMicros / 1_000_000))
                .putInt((int) (timestampMicros % 1_000_000))
                .putInt(capturedLength)
                .putInt(originalLength);
    }

    /**
     * An IPv4 + UDP header for a datagram of {@code payloadLength} bytes from {@code srcIp:srcPort}
     * to {@code dstIp:dstPort} (addresses as ints, network order). The UDP checksum is 0 (none).
     */
    public static void ipUdpHeaders(ByteBuffer out, int srcIp, int srcPort, int dstIp, int dstPort, int payloadLength) {
        out.order(ByteOrder.BIG_ENDIAN);
        int start = out.position();
        int total = IP_UDP_HEADERS + payloadLength;
        out.put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) total)
                .putShort((short) 0)
                .putShort((short) 0x4000)
                .put((byte) 64)
                .put((byte) 17)
                .putShort((short) 0)
                .putInt(srcIp)
                .putInt(dstIp);
        out.putShort(start + 10, (short) checksum(out, start, 20));
        out.putShort((short) srcPort)
                .putShort((short) dstPort)
                .putShort((short) (8 + payloadLength))
                .putShort((short) 0);
    }

    static int checksum(ByteBuffer buffer, int from, int length) {
        int sum = 0;
        for (int i = from; i < from + length; i += 2) {
            sum += ((buffer.get(i) & 0xff) << 8) | (buffer.get(i + 1) & 0xff);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }
}
