package org.sipbridge.dhcp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * The codec's contract for any input: what it encodes it decodes to the same message, and any byte
 * array either decodes or raises {@link MalformedDhcpException}, never another exception.
 */
class DhcpCodecPropertiesTest {

    @Property
    void decodesEveryMessageItEncodes(@ForAll("messages") DhcpMessage message) throws MalformedDhcpException {
        byte[] packet = DhcpEncoder.encode(message);

        assertTrue(packet.length >= 300);
        assertEquals(message, DhcpDecoder.decode(packet));
    }

    @Property
    void arbitraryBytesDecodeOrRaiseTheCodecException(@ForAll @Size(max = 1500) byte[] datagram) {
        decodeOrMalformed(datagram);
    }

    @Property
    void arbitraryOptionFieldsDecodeOrRaiseTheCodecException(@ForAll("headerThenRandomOptions") byte[] datagram) {
        Statistics.collect(decodeOrMalformed(datagram));
        // The generator must reach both outcomes, or the property tests less than it claims.
        Statistics.coverage(coverage -> {
            coverage.check(true).count(n -> n > 0);
            coverage.check(false).count(n -> n > 0);
        });
    }

    @Property
    void corruptedPacketsDecodeOrRaiseTheCodecException(@ForAll("corruptedPackets") byte[] datagram) {
        Statistics.collect(decodeOrMalformed(datagram));
        Statistics.coverage(coverage -> {
            coverage.check(true).count(n -> n > 0);
            coverage.check(false).count(n -> n > 0);
        });
    }

    @Property(tries = 20)
    void largeDatagramsDecodeOrRaiseTheCodecException(@ForAll("largeDatagrams") byte[] datagram) {
        decodeOrMalformed(datagram);
    }

    /**
     * Decodes, or checks that the failure is the codec's exception with a reason (any other exception
     * fails the property). Whatever decodes is a fixed point: encoding it and decoding again changes
     * nothing. Returns whether the datagram decoded.
     */
    private static boolean decodeOrMalformed(byte[] datagram) {
        DhcpMessage message;
        try {
            message = DhcpDecoder.decode(datagram);
        } catch (MalformedDhcpException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "a reason is always given");
            return false;
        }
        try {
            assertEquals(message, DhcpDecoder.decode(DhcpEncoder.encode(message)));
        } catch (MalformedDhcpException e) {
            throw new AssertionError("re-encoding a decoded message made it malformed: " + e.getMessage(), e);
        }
        return true;
    }

    @Provide
    Arbitrary<DhcpMessage> messages() {
        return DhcpArbitraries.messages();
    }

    /** A real header and cookie followed by random option bytes, so that the option parser does the work. */
    @Provide
    Arbitrary<byte[]> headerThenRandomOptions() {
        byte[] header = Arrays.copyOf(GoldenPackets.bytes(GoldenPackets.INFORM), 240);
        Arbitrary<Integer> someCode = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0, 255)), Tuple.of(1, Arbitraries.of(0, 52, 53, 54, 255)));
        return Combinators.combine(
                        someCode.list().ofMaxSize(400), Arbitraries.of(true, false), Arbitraries.of(0, 1, 2, 3))
                .as((tail, withOverload, overload) -> {
                    byte[] packet = Arrays.copyOf(header, 240 + tail.size() + 3);
                    int at = 240;
                    if (withOverload) {
                        packet[at++] = 52;
                        packet[at++] = 1;
                        packet[at++] = (byte) overload.intValue();
                    }
                    for (int value : tail) {
                        packet[at++] = (byte) value;
                    }
                    // Random bytes in the overloadable fields too.
                    for (int i = 0; i < tail.size() && i < 192; i++) {
                        packet[44 + i] = (byte) (int) tail.get(tail.size() - 1 - i);
                    }
                    return Arrays.copyOf(packet, at);
                });
    }

    /** Valid packets, then cut, with bytes overwritten, or both. */
    @Provide
    Arbitrary<byte[]> corruptedPackets() {
        Arbitrary<byte[]> valid = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of(GoldenPackets.REQUESTS).map(GoldenPackets::bytes)),
                Tuple.of(2, DhcpArbitraries.messages().map(DhcpEncoder::encode)));
        Arbitrary<List<Tuple.Tuple2<Integer, Byte>>> edits = Combinators.combine(
                        Arbitraries.integers().greaterOrEqual(0), Arbitraries.bytes())
                .as(Tuple::of)
                .list()
                .ofMaxSize(8);
        Arbitrary<Double> cutAt = Arbitraries.doubles().between(0.0, 1.0);
        return Combinators.combine(valid, edits, cutAt, Arbitraries.of(true, false))
                .as((packet, changes, cut, doCut) -> {
                    byte[] corrupted = packet.clone();
                    for (Tuple.Tuple2<Integer, Byte> change : changes) {
                        corrupted[change.get1() % corrupted.length] = change.get2();
                    }
                    return doCut ? Arrays.copyOf(corrupted, (int) (cut * corrupted.length)) : corrupted;
                });
    }

    /** Up to the largest UDP payload: all pads, one byte repeated, or many tiny options of one code to join. */
    @Provide
    Arbitrary<byte[]> largeDatagrams() {
        byte[] header = Arrays.copyOf(GoldenPackets.bytes(GoldenPackets.INFORM), 240);
        return Combinators.combine(Arbitraries.integers().between(240, 65_507), Arbitraries.of(0, 1, 2, 3))
                .as((length, pattern) -> {
                    byte[] packet = Arrays.copyOf(header, length);
                    for (int at = 240; at < length; at++) {
                        packet[at] = switch (pattern) {
                            case 0 -> 0;
                            case 1 -> (byte) 0x0c;
                            case 2 -> (byte) ((at - 240) % 3 == 0 ? 0x2b : (at - 240) % 3 == 1 ? 1 : 'x');
                            default -> (byte) ((at - 240) % 2 == 0 ? 0x2b : 0);
                        };
                    }
                    if (pattern >= 2 && length > 241) {
                        packet[length - 1] = (byte) 0xff;
                    }
                    return packet;
                });
    }
}
