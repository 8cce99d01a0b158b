package org.sipbridge.provisioning.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Properties of {@link RequestPath} over generated paths: whatever comes in, what is relayed is a fixed
 * point of the check with no way out of the base path, and a dot-dot segment in any spelling is refused.
 */
class RequestPathPropertyTest {

    @Property(tries = 3000)
    void whatIsRelayedIsCanonicalAndStaysInside(@ForAll("hostilePaths") String raw) {
        if (RequestPath.check(raw) instanceof RequestPath.Relay relay) {
            String canonical = relay.canonical();
            assertEquals(relay, RequestPath.check(canonical), "canonical form is a fixed point: " + raw);
            // What any server makes of it after one (or a second) decoding: no dot segment, no separator.
            for (String decodedOnce : List.of(decode(canonical), decode(decode(canonical)))) {
                for (String segment : decodedOnce.substring(1).split("/", -1)) {
                    assertFalse(segment.equals(".") || segment.equals(".."), raw + " -> " + canonical);
                }
                assertFalse(decodedOnce.contains("\\") || decodedOnce.contains("\0"), raw + " -> " + canonical);
            }
            assertFalse(canonical.contains(";"), raw + " -> " + canonical);
        }
    }

    @Property(tries = 2000)
    void aDotDotSegmentIsRefusedHoweverItIsSpelled(
            @ForAll("names") List<String> before,
            @ForAll("dotDot") String dotDot,
            @ForAll("names") List<String> after) {
        String path = "/" + String.join("/", concat(before, dotDot, after));
        assertInstanceOf(RequestPath.Refuse.class, RequestPath.check(path), path);
    }

    @Property(tries = 1000)
    void plainNamesGoThroughUnchanged(@ForAll("names") @Size(min = 1) List<String> names) {
        String path = "/" + String.join("/", names);
        assertEquals(new RequestPath.Relay(path), RequestPath.check(path));
    }

    @Provide
    Arbitrary<String> hostilePaths() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of(
                        ".",
                        "..",
                        "/",
                        "\\",
                        "%2e",
                        "%2E",
                        "%2f",
                        "%2F",
                        "%5c",
                        "%25",
                        "%252e",
                        "%252f",
                        ";",
                        "%3b",
                        "%00",
                        "%c0%ae",
                        "%c0%af",
                        "%e0%80%ae",
                        "%ef%bc%8e",
                        "%ef%bc%8f",
                        "%u002e",
                        "%",
                        "%2",
                        ":",
                        "%20",
                        "~",
                        "a",
                        "cfg",
                        "%c3%bc",
                        "%ed%a0%80",
                        "%ff"),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(3));
        return piece.list().ofMaxSize(12).map(pieces -> "/" + String.join("", pieces));
    }

    @Provide
    Arbitrary<List<String>> names() {
        return Arbitraries.strings()
                .withCharRange('a', 'z')
                .numeric()
                .withChars('-', '_', '~')
                .ofMinLength(1)
                .ofMaxLength(10)
                .map(name -> name + ".cfg")
                .list()
                .ofMaxSize(4);
    }

    @Provide
    Arbitrary<String> dotDot() {
        Arbitrary<String> dot = Arbitraries.of(".", "%2e", "%2E");
        return Combinators.combine(dot, dot).as((a, b) -> a + b);
    }

    private static List<String> concat(List<String> before, String middle, List<String> after) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>(before);
        all.add(middle);
        all.addAll(after);
        return all;
    }

    /** Decodes like a lenient server: '+' stays, bad escapes are left as they are. */
    private static String decode(String path) {
        try {
            return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return path;
        }
    }
}
