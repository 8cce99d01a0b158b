package org.sipbridge.rtp.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The packet path's readers of network input (RTP header, compound RTCP, per-direction statistics) on
 * arbitrary and on mutated datagrams: they never throw, never read outside the datagram, never move or
 * change the buffer that is forwarded afterwards, and count what they cannot read as malformed.
 */
class PacketParsersPropertyTest {

    private static final PayloadFormats FORMATS = PayloadFormats.builder()
            .rtpMap(101, "telephone-event", 8000)
            .rtpMap(111, "opus", 48000)
            .build();

    @Property(tries = 3000)
    void anyDatagramIsCountedAndLeftAsItWas(
            @ForAll @Size(max = 300) byte[] datagram,
            @ForAll @IntRange(max = 16) int headroom,
            @ForAll boolean encrypted) {
        // the datagram sits at a reader index inside a bigger buffer, as in a pooled receive buffer
        ByteBuf buffer = Unpooled.buffer(headroom + datagram.length + 16);
        buffer.writeZero(headroom).writeBytes(datagram).writeZero(16);
        buffer.readerIndex(headroom).writerIndex(headroom + datagram.length);
        DirectionStats stats = new DirectionStats(Direction.LAN_TO_VPN);
        RoundTripMeter meter = new RoundTripMeter();

        stats.onRtp(buffer, 1_000_000L, FORMATS);
        stats.onRtcp(buffer, 2_000_000L, encrypted, meter);

        assertEquals(headroom, buffer.readerIndex());
        assertEquals(headroom + datagram.length, buffer.writerIndex());
        byte[] after = new byte[datagram.length];
        buffer.getBytes(headroom, after);
        assertArrayEquals(datagram, after, "the forwarded bytes are untouched");
        DirectionSnapshot snapshot = stats.snapshot(FORMATS, -1, Double.NaN);
        assertEquals(1, snapshot.packets());
        assertEquals(datagram.length, snapshot.bytes());
        assertEquals(1, snapshot.rtcpPackets());
        boolean version2 = datagram.length > 0 && (datagram[0] & 0xC0) == 0x80;
        long rtpMalformed = datagram.length < RtpHeader.RTP_MIN_LENGTH || !version2 ? 1 : 0;
        assertTrue(snapshot.malformed() >= rtpMalformed && snapshot.malformed() <= rtpMalformed + 1);
    }

    @Property(tries = 2000)
    void rtcpReaderNeverReadsOutsideTheDatagram(@ForAll @Size(max = 200) byte[] datagram) {
        // a slice of exactly the datagram: any read past its end would throw IndexOutOfBoundsException
        ByteBuf exact = Unpooled.wrappedBuffer(datagram).slice(0, datagram.length);
        RtcpReader.read(exact, 0, datagram.length, Direction.VPN_TO_LAN, 0, new RoundTripMeter());
    }

    @Property(tries = 1000)
    void wellFormedCompoundsAreReadWhole(
            @ForAll("compounds") List<byte[]> parts, @ForAll @IntRange(max = 12) int garbageAround) {
        byte[] compound = concat(parts);
        byte[] framed = new byte[garbageAround + compound.length + garbageAround];
        Arrays.fill(framed, (byte) 0x9C);
        System.arraycopy(compound, 0, framed, garbageAround, compound.length);
        ByteBuf window = Unpooled.wrappedBuffer(framed).slice(garbageAround, compound.length);
        assertTrue(RtcpReader.read(window, 0, compound.length, Direction.LAN_TO_VPN, 0, new RoundTripMeter()));
    }

    @Property(tries = 1000)
    void aCompoundCutAnywhereButBetweenPacketsIsMalformed(
            @ForAll("compounds") List<byte[]> parts, @ForAll @IntRange(min = 1, max = 400) int cutAt) {
        byte[] compound = concat(parts);
        int cut = cutAt % compound.length;
        boolean boundary = false;
        for (int end = 0, i = 0; i < parts.size(); i++) {
            end += parts.get(i).length;
            boundary |= end == cut;
        }
        ByteBuf prefix = Unpooled.wrappedBuffer(compound).slice(0, cut);
        boolean read = RtcpReader.read(prefix, 0, cut, Direction.LAN_TO_VPN, 0, new RoundTripMeter());
        assertEquals(boundary && cut >= RtpHeader.RTCP_MIN_LENGTH, read, "cut at " + cut + " of " + compound.length);
    }

    @Property(tries = 2000)
    void mutatedCompoundsNeverThrow(
            @ForAll("compounds") List<byte[]> parts, @ForAll @IntRange(max = 400) int position, @ForAll byte value) {
        byte[] compound = concat(parts);
        compound[position % compound.length] = value;
        DirectionStats stats = new DirectionStats(Direction.VPN_TO_LAN);
        stats.onRtcp(Unpooled.wrappedBuffer(compound).slice(0, compound.length), 0, false, new RoundTripMeter());
        assertEquals(1, stats.snapshot(FORMATS, -1, Double.NaN).rtcpPackets());
    }

    @Property(tries = 1000)
    void rtpHeaderFieldsReadBackAtAnyOffset(
            @ForAll @IntRange(max = 127) int payloadType,
            @ForAll boolean marker,
            @ForAll @IntRange(max = 65535) int sequence,
            @ForAll int timestamp,
            @ForAll int ssrc,
            @ForAll @IntRange(max = 40) int offset) {
        int second = (marker ? 0x80 : 0) | payloadType;
        ByteBuf buffer = Unpooled.buffer();
        buffer.writeZero(offset)
                .writeByte(0x80)
                .writeByte(second)
                .writeShort(sequence)
                .writeInt(timestamp)
                .writeInt(ssrc);
        assertTrue(RtpHeader.isVersion2(buffer, offset));
        assertEquals(payloadType, RtpHeader.payloadType(buffer, offset));
        assertEquals(sequence, RtpHeader.sequence(buffer, offset));
        assertEquals(timestamp, RtpHeader.timestamp(buffer, offset));
        assertEquals(ssrc, RtpHeader.ssrc(buffer, offset));
        assertEquals(second >= 192 && second <= 223, RtpHeader.isMultiplexedRtcp(buffer, offset));
    }

    @Property(tries = 500)
    void anyRtpStreamGivesFiniteBoundedQuality(
            @ForAll("streams") List<byte[]> packets, @ForAll @IntRange(min = 1, max = 100) int gapMs) {
        DirectionStats stats = new DirectionStats(Direction.VPN_TO_LAN);
        long now = 0;
        for (byte[] packet : packets) {
            stats.onRtp(Unpooled.wrappedBuffer(packet), now, FORMATS);
            now += gapMs * 1_000_000L;
        }
        DirectionSnapshot s = stats.snapshot(FORMATS, -1, Double.NaN);
        assertEquals(packets.size(), s.packets());
        assertTrue(s.lost() >= 0 && s.lost() <= s.expected(), s.lost() + " lost of " + s.expected());
        assertTrue(Double.isFinite(s.lossPercent()) && s.lossPercent() >= 0 && s.lossPercent() <= 100);
        assertTrue(Double.isFinite(s.jitterMs()) && s.jitterMs() >= 0, "jitter " + s.jitterMs());
        if (s.quality() != null) { // none while no audio packet was measured
            assertTrue(
                    s.quality().mos() >= 1 && s.quality().mos() <= 4.5,
                    "MOS " + s.quality().mos());
            assertFalse(Double.isNaN(s.quality().rFactor()));
        }
    }

    @Provide
    Arbitrary<List<byte[]>> compounds() {
        Arbitrary<Integer> blocks = Arbitraries.integers().between(0, 3);
        Arbitrary<byte[]> senderReport = Combinators.combine(blocks, Arbitraries.integers(), Arbitraries.longs())
                .as((count, ssrc, ntp) -> part(200, count, ssrc, ntp, count * 24));
        Arbitrary<byte[]> receiverReport = Combinators.combine(blocks, Arbitraries.integers())
                .as((count, ssrc) -> part(201, count, ssrc, null, count * 24));
        Arbitrary<byte[]> other = Combinators.combine(
                        Arbitraries.integers().between(202, 206),
                        Arbitraries.integers().between(0, 31),
                        Arbitraries.integers(),
                        Arbitraries.integers().between(0, 6))
                .as((type, count, ssrc, words) -> part(type, count, ssrc, null, words * 4));
        return Arbitraries.oneOf(senderReport, receiverReport, other)
                .list()
                .ofMinSize(1)
                .ofMaxSize(4);
    }

    /**
     * One well-formed RTCP packet: header and SSRC, the 20-byte sender info when {@code ntp} is given,
     * then {@code tail} bytes.
     */
    private static byte[] part(int type, int count, int ssrc, Long ntp, int tail) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0x80 | count).writeByte(type).writeShort(0).writeInt(ssrc);
        if (ntp != null) {
            b.writeLong(ntp).writeInt(160).writeInt(50).writeInt(8600);
        }
        for (int i = 0; i < tail; i += 4) {
            b.writeInt(ssrc * 31 + i);
        }
        b.setShort(2, b.readableBytes() / 4 - 1);
        return ByteBufUtil.getBytes(b);
    }

    /** Single packets (any type, sequence, source) and in-order runs, in any mix. */
    @Provide
    Arbitrary<List<byte[]>> streams() {
        Arbitrary<Integer> sequence = Arbitraries.integers().between(0, 65535);
        Arbitrary<List<byte[]>> single = Combinators.combine(
                        Arbitraries.of(0, 8, 18, 101, 111, 96), sequence, Arbitraries.integers(), Arbitraries.of(1, 2))
                .as((pt, seq, ts, source) -> List.of(RtcpPackets.rtp(pt, seq, ts, source, 20)));
        Arbitrary<List<byte[]>> inOrderRun = Combinators.combine(
                        sequence, Arbitraries.integers().between(1, 40))
                .as((first, count) -> {
                    List<byte[]> run = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        run.add(RtcpPackets.rtp(0, (first + i) & 0xFFFF, 160 * i, 7, 160));
                    }
                    return run;
                });
        return Arbitraries.oneOf(single, inOrderRun)
                .list()
                .ofMaxSize(30)
                .map(groups -> groups.stream().flatMap(List::stream).toList());
    }

    private static byte[] concat(List<byte[]> parts) {
        return RtcpPackets.concat(parts.toArray(byte[][]::new));
    }
}
