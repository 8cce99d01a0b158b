package org.sipbridge.rtp.quality;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Builds RTP and RTCP packets for tests (RFC 3550 layouts). */
public final class RtcpPackets {

    private RtcpPackets() {}

    public static byte[] rtp(int payloadType, int seq, int timestamp, int ssrc, int payloadBytes) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0x80)
                .writeByte(payloadType)
                .writeShort(seq)
                .writeInt(timestamp)
                .writeInt(ssrc);
        for (int i = 0; i < payloadBytes; i++) {
            b.writeByte(i * 7 + seq);
        }
        return bytes(b);
    }

    /** A sender report with no report blocks: 28 bytes. */
    public static byte[] senderReport(int ssrc, long ntpSeconds, long ntpFraction) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0x80).writeByte(200).writeShort(6).writeInt(ssrc);
        b.writeInt((int) ntpSeconds)
                .writeInt((int) ntpFraction)
                .writeInt(0)
                .writeInt(10)
                .writeInt(1600);
        return bytes(b);
    }

    /** A receiver report with one report block carrying LSR and DLSR: 32 bytes. */
    public static byte[] receiverReport(int ssrc, int lsr, long dlsr) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0x81).writeByte(201).writeShort(7).writeInt(ssrc);
        b.writeInt(0x1234).writeInt(0).writeInt(100).writeInt(0).writeInt(lsr).writeInt((int) dlsr);
        return bytes(b);
    }

    public static byte[] concat(byte[]... parts) {
        ByteBuf b = Unpooled.buffer();
        for (byte[] part : parts) {
            b.writeBytes(part);
        }
        return bytes(b);
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }
}
