package org.sipbridge.dhcp.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators of valid DHCP messages, shared by the codec and reply-rule properties. */
public final class DhcpArbitraries {

    private DhcpArbitraries() {}

    public static Arbitrary<DhcpMessage> messages() {
        return messages(options());
    }

    public static Arbitrary<DhcpMessage> messages(Arbitrary<DhcpOptions> options) {
        Arbitrary<Integer> anyInt = Arbitraries.integers();
        Arbitrary<Integer> u8 = Arbitraries.integers().between(0, 255);
        Arbitrary<Integer> u16 = Arbitraries.integers().between(0, 0xffff);
        Arbitrary<List<Integer>> numbers = Combinators.combine(List.of(
                        u8,
                        Arbitraries.integers().between(0, DhcpMessage.CHADDR_LENGTH),
                        u8,
                        anyInt,
                        u16,
                        u16,
                        anyInt,
                        anyInt,
                        anyInt,
                        anyInt))
                .as(values -> values);
        return Combinators.combine(
                        Arbitraries.of(BootOp.class),
                        numbers,
                        field(DhcpMessage.CHADDR_LENGTH),
                        field(DhcpMessage.SNAME_LENGTH),
                        field(DhcpMessage.FILE_LENGTH),
                        options)
                .as((op, n, chaddr, sname, file, opts) -> new DhcpMessage(
                        op, n.get(0), n.get(1), n.get(2), n.get(3), n.get(4), n.get(5), n.get(6), n.get(7), n.get(8),
                        n.get(9), chaddr, sname, file, opts));
    }

    /** A fixed-width field: zeros (most common), a NUL-padded text, or arbitrary bytes. */
    static Arbitrary<Octets> field(int length) {
        Arbitrary<Octets> text = Arbitraries.strings()
                .ascii()
                .ofMaxLength(length)
                .map(s -> {
                    byte[] bytes = new byte[length];
                    byte[] chars = s.getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(chars, 0, bytes, 0, chars.length);
                    return Octets.of(bytes);
                });
        Arbitrary<Octets> random =
                Arbitraries.bytes().array(byte[].class).ofSize(length).map(Octets::of);
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(Octets.zeros(length))), Tuple.of(1, text), Tuple.of(1, random));
    }

    /** Up to 12 options with distinct codes; values up to 600 bytes so that RFC 3396 splitting is exercised. */
    public static Arbitrary<DhcpOptions> options() {
        return Arbitraries.integers()
                .between(1, 254)
                .filter(code -> code != DhcpOptionCodes.OVERLOAD)
                .list()
                .uniqueElements()
                .ofMaxSize(12)
                .flatMap(codes -> {
                    List<Arbitrary<DhcpOption>> values = new ArrayList<>();
                    for (int code : codes) {
                        values.add(value(code).map(v -> new DhcpOption(code, v)));
                    }
                    return Combinators.combine(values).as(DhcpOptions::new);
                });
    }

    private static Arbitrary<Octets> value(int code) {
        return DhcpOptionCodes.requiredLength(code).isPresent()
                ? Arbitraries.bytes()
                        .array(byte[].class)
                        .ofSize(DhcpOptionCodes.requiredLength(code).getAsInt())
                        .map(Octets::of)
                : Arbitraries.bytes().array(byte[].class).ofMaxSize(600).map(Octets::of);
    }
}
