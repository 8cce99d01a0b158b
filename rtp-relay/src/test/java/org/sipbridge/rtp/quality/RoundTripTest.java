package org.sipbridge.rtp.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** RFC 3550 §6.4.1: RTT = A − LSR − DLSR, with both instants on the bridge's clock. */
class RoundTripTest {

    private static final long MS = 1_000_000L;
    // NTP 0x0000ABCD.12345678 → compact (middle 32 bits) 0xABCD1234
    private static final int COMPACT = 0xABCD1234;

    private static boolean read(RoundTripMeter meter, Direction travelled, long nanos, byte[] packet) {
        ByteBuf buf = Unpooled.wrappedBuffer(packet);
        return RtcpReader.read(buf, 0, buf.readableBytes(), travelled, nanos, meter);
    }

    @Test
    void thePhonesReportMeasuresTheLanLeg() {
        RoundTripMeter meter = new RoundTripMeter();
        assertTrue(read(meter, Direction.VPN_TO_LAN, 1_000 * MS, RtcpPackets.senderReport(1, 0xABCD, 0x12345678)));
        // the phone held it 0.5 s (DLSR 32768/65536 s) and its report arrives 520 ms after the SR passed
        assertTrue(read(meter, Direction.LAN_TO_VPN, 1_520 * MS, RtcpPackets.receiverReport(2, COMPACT, 32768)));
        assertEquals(20 * MS, meter.roundTripNanos(Direction.LAN_TO_VPN));
        assertEquals(-1, meter.roundTripNanos(Direction.VPN_TO_LAN));
    }

    @Test
    void aReportOnASenderReportFromTheSameSideIsNoMatch() {
        RoundTripMeter meter = new RoundTripMeter();
        read(meter, Direction.LAN_TO_VPN, 0, RtcpPackets.senderReport(1, 0xABCD, 0x12345678));
        read(meter, Direction.LAN_TO_VPN, 100 * MS, RtcpPackets.receiverReport(2, COMPACT, 0));
        assertEquals(-1, meter.roundTripNanos(Direction.LAN_TO_VPN));
    }

    @Test
    void lsrZeroMeansNoSenderReportYet() {
        RoundTripMeter meter = new RoundTripMeter();
        read(meter, Direction.VPN_TO_LAN, 5, RtcpPackets.senderReport(1, 0, 0)); // compact 0
        read(meter, Direction.LAN_TO_VPN, 100 * MS, RtcpPackets.receiverReport(2, 0, 0));
        assertEquals(-1, meter.roundTripNanos(Direction.LAN_TO_VPN));
    }

    @Test
    void compoundPacketsAreWalkedAndTheirBlocksRead() {
        RoundTripMeter meter = new RoundTripMeter();
        read(meter, Direction.LAN_TO_VPN, 2_000 * MS, RtcpPackets.senderReport(1, 0xABCD, 0x12345678));
        byte[] compound = RtcpPackets.concat(
                RtcpPackets.senderReport(9, 0x1111, 0x22220000),
                RtcpPackets.receiverReport(9, COMPACT, 6554)); // DLSR 6554/65536 s ≈ 100.006 ms
        assertTrue(read(meter, Direction.VPN_TO_LAN, 2_180 * MS, compound));
        assertEquals(79.994, meter.roundTripNanos(Direction.VPN_TO_LAN) / 1e6, 0.001);
    }

    @Test
    void malformedCompoundsAreReportedWithoutThrowing() {
        RoundTripMeter meter = new RoundTripMeter();
        byte[] truncated = java.util.Arrays.copyOf(RtcpPackets.receiverReport(1, COMPACT, 0), 20);
        assertFalse(read(meter, Direction.LAN_TO_VPN, 0, truncated));
        byte[] version1 = RtcpPackets.senderReport(1, 1, 1);
        version1[0] = 0x40;
        assertFalse(read(meter, Direction.LAN_TO_VPN, 0, version1));
        assertFalse(read(meter, Direction.LAN_TO_VPN, 0, new byte[] {(byte) 0x80, (byte) 201, 0}));
        byte[] claimsBlocks = RtcpPackets.senderReport(1, 1, 1);
        claimsBlocks[0] = (byte) 0x83; // says 3 report blocks, carries none
        assertFalse(read(meter, Direction.LAN_TO_VPN, 0, claimsBlocks));
    }
}
