package org.sipbridge.rtp.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class DirectionStatsTest {

    private static final long MS = 1_000_000L;
    private final PayloadFormats formats = PayloadFormats.builder()
            .rtpMap(101, "telephone-event", 8000)
            .rtpMap(111, "opus", 48000)
            .build();

    private static ByteBuf buf(byte[] bytes) {
        return Unpooled.wrappedBuffer(bytes);
    }

    @Test
    void countsLossAndJitterOfAPcmuStream() {
        DirectionStats stats = new DirectionStats(Direction.VPN_TO_LAN);
        // 20 ms packets (160 samples); seq 3 lost; packet 4 arrives 5 ms late
        long[] arrivalMs = {0, 20, 40, -1, 85, 100};
        for (int seq = 0; seq < arrivalMs.length; seq++) {
            if (arrivalMs[seq] >= 0) {
                stats.onRtp(buf(RtcpPackets.rtp(0, seq, 160 * seq, 42, 160)), arrivalMs[seq] * MS, formats);
            }
        }
        DirectionSnapshot s = stats.snapshot(formats, -1, Double.NaN);
        assertEquals(5, s.packets());
        assertEquals(5 * 172, s.bytes());
        assertEquals(5, s.expected(), "base is seq 1 (probation), max 5");
        assertEquals(1, s.lost());
        assertEquals(20.0, s.lossPercent(), 1e-9);
        // transits (units of 1/8000 s, origin at packet 0): 0, 0, −40 (seq 4: 680 − 640), 0 (800 − 800)
        // jitter from seq 1 on (seq 0 is on probation and not measured): D = 0, 40, 40
        // J = 0 → 40/16 = 2.5 → 2.5 + 37.5/16 = 4.84375 units = 0.60546875 ms
        assertEquals(0.60546875, s.jitterMs(), 1e-9);
        assertEquals("G.711", s.quality().codec());
        assertNull(s.legRttMs());
    }

    /** Issue #15: a direction that carried nothing showed MOS 4.40 and codec "unknown", as if it were perfect. */
    @Test
    void aDirectionWithoutAudioHasNoQuality() {
        DirectionStats stats = new DirectionStats(Direction.VPN_TO_LAN);
        stats.strayDropped();
        assertNull(stats.snapshot(formats, -1, Double.NaN).quality(), "no MOS for a direction that carried nothing");
        stats.onRtp(buf(RtcpPackets.rtp(101, 1, 0, 7, 4)), 0, formats);
        stats.onRtp(buf(RtcpPackets.rtp(101, 2, 0, 7, 4)), 50 * MS, formats);
        assertNull(stats.snapshot(formats, -1, Double.NaN).quality(), "nor for DTMF events alone");
    }

    @Test
    void telephoneEventsAreCountedButNotJittered() {
        DirectionStats stats = new DirectionStats(Direction.LAN_TO_VPN);
        stats.onRtp(buf(RtcpPackets.rtp(0, 1, 0, 7, 160)), 0, formats);
        stats.onRtp(buf(RtcpPackets.rtp(0, 2, 160, 7, 160)), 20 * MS, formats);
        // three end packets of one event, same timestamp, 10 ms apart: would add jitter if measured
        stats.onRtp(buf(RtcpPackets.rtp(101, 3, 320, 7, 4)), 40 * MS, formats);
        stats.onRtp(buf(RtcpPackets.rtp(101, 4, 320, 7, 4)), 50 * MS, formats);
        stats.onRtp(buf(RtcpPackets.rtp(101, 5, 320, 7, 4)), 60 * MS, formats);
        DirectionSnapshot s = stats.snapshot(formats, -1, Double.NaN);
        assertEquals(0.0, s.jitterMs());
        assertEquals(5, s.packets());
        assertEquals(4, s.expected());
    }

    @Test
    void jitterUsesTheClockRateOfThePayloadType() {
        DirectionStats stats = new DirectionStats(Direction.LAN_TO_VPN);
        stats.onRtp(buf(RtcpPackets.rtp(111, 1, 0, 9, 60)), 0, formats);
        stats.onRtp(buf(RtcpPackets.rtp(111, 2, 960, 9, 60)), 20 * MS, formats);
        stats.onRtp(buf(RtcpPackets.rtp(111, 3, 1920, 9, 60)), 56 * MS, formats); // 16 ms late = 768 units
        // J = 768/16 = 48 units at 48 kHz = 1 ms
        assertEquals(1.0, stats.snapshot(formats, -1, Double.NaN).jitterMs(), 1e-9);
        assertEquals("Opus", stats.snapshot(formats, -1, Double.NaN).quality().codec());
    }

    @Test
    void malformedPacketsAreCountedNotParsed() {
        DirectionStats stats = new DirectionStats(Direction.LAN_TO_VPN);
        stats.onRtp(buf(new byte[] {(byte) 0x80, 0, 0}), 0, formats); // too short
        byte[] v1 = RtcpPackets.rtp(0, 1, 0, 1, 10);
        v1[0] = 0x40; // version 1
        stats.onRtp(buf(v1), 0, formats);
        stats.onRtcp(buf(new byte[] {(byte) 0x80, (byte) 200}), 0, false, new RoundTripMeter());
        stats.onRtcp(buf(RtcpPackets.senderReport(1, 1, 1)), 0, false, new RoundTripMeter());
        DirectionSnapshot s = stats.snapshot(formats, -1, Double.NaN);
        assertEquals(3, s.malformed());
        assertEquals(2, s.packets());
        assertEquals(2, s.rtcpPackets());
        assertEquals(0, s.expected());
    }

    @Test
    void encryptedRtcpIsNotReadForRoundTrips() {
        RoundTripMeter meter = new RoundTripMeter();
        DirectionStats toPhone = new DirectionStats(Direction.VPN_TO_LAN);
        DirectionStats fromPhone = new DirectionStats(Direction.LAN_TO_VPN);
        toPhone.onRtcp(buf(RtcpPackets.senderReport(1, 0xABCD, 0x12340000)), 0, true, meter);
        fromPhone.onRtcp(buf(RtcpPackets.receiverReport(2, 0xABCD1234, 0)), 10 * MS, true, meter);
        assertEquals(-1, meter.roundTripNanos(Direction.LAN_TO_VPN));
        toPhone.onRtcp(buf(RtcpPackets.senderReport(1, 0xABCD, 0x12340000)), 0, false, meter);
        fromPhone.onRtcp(buf(RtcpPackets.receiverReport(2, 0xABCD1234, 0)), 10 * MS, false, meter);
        assertEquals(10 * MS, meter.roundTripNanos(Direction.LAN_TO_VPN));
        assertEquals(
                10.0,
                fromPhone
                        .snapshot(formats, meter.roundTripNanos(Direction.LAN_TO_VPN), 10)
                        .legRttMs());
    }

    @Test
    void multiplexedRtcpIsRecognisedBySecondByte() {
        assertEquals(true, RtpHeader.isMultiplexedRtcp(buf(RtcpPackets.senderReport(1, 1, 1)), 0));
        assertEquals(true, RtpHeader.isMultiplexedRtcp(buf(RtcpPackets.receiverReport(1, 1, 1)), 0));
        assertEquals(false, RtpHeader.isMultiplexedRtcp(buf(RtcpPackets.rtp(0, 1, 0, 1, 4)), 0));
        assertEquals(
                false, RtpHeader.isMultiplexedRtcp(buf(RtcpPackets.rtp(0x80 | 101, 1, 0, 1, 4)), 0), "marker + PT 101");
    }

    @Test
    void payloadFormatsKnowStaticAndDynamicTypes() {
        assertEquals(8000, formats.clockRate(9), "G.722 keeps 8000 (RFC 3551)");
        assertEquals(48000, formats.clockRate(111));
        assertEquals(8000, formats.clockRate(120), "unknown: the default");
        assertEquals(90000, formats.clockRate(34));
        assertEquals(true, formats.isEvent(101));
        PayloadFormats firstWins = PayloadFormats.builder()
                .rtpMap(96, "opus", 48000)
                .rtpMap(96, "PCMU", 8000)
                .build();
        assertEquals(48000, firstWins.clockRate(96));
    }
}
