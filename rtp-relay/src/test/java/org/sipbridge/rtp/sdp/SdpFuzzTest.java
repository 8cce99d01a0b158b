package org.sipbridge.rtp.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.sipbridge.contract.media.MediaUnavailableException;

/** The parser must turn any input into a description or a {@link MediaUnavailableException}, nothing else. */
class SdpFuzzTest {

    static final String VALID = "v=0\r\no=- 1 2 IN IP4 192.168.1.50\r\ns=-\r\nc=IN IP4 192.168.1.50\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\na=rtcp:4001\r\n"
            + "m=video 4002 RTP/AVP 96\r\nc=IN IP4 192.168.1.51\r\na=rtpmap:96 H264/90000\r\n";

    @Property(tries = 2000)
    void arbitraryTextOnlyEverFailsWithTheDeclaredException(@ForAll("sdpish") String body) throws Exception {
        rewriteOrRefuse(body);
    }

    @Property(tries = 2000)
    void mutatedValidBodiesOnlyEverFailWithTheDeclaredException(
            @ForAll @IntRange(min = 0, max = 400) int position,
            @ForAll("fragments") String inserted,
            @ForAll @IntRange(min = 0, max = 12) int deleted) {
        int at = Math.min(position, VALID.length());
        int end = Math.min(VALID.length(), at + deleted);
        rewriteOrRefuse(VALID.substring(0, at) + inserted + VALID.substring(end));
    }

    @Property(tries = 500)
    void linesTheBridgeDoesNotOwnSurviveInOrder(@ForAll("extraLines") List<String> extras) throws Exception {
        // spread the extra lines over the session part and both media sections
        List<String> lines = new ArrayList<>(SdpLines.split(VALID));
        List<String> expected = new ArrayList<>();
        int slot = 3;
        for (String extra : extras) {
            lines.add(Math.min(slot, lines.size()), extra);
            slot += 2;
        }
        String body = SdpLines.join(lines);
        String out = SdpGoldenTest.rewrite(body);
        List<String> outLines = SdpLines.split(out);
        for (String line : outLines) {
            if (extras.contains(line)) {
                expected.add(line);
            }
        }
        List<String> extrasInBody = new ArrayList<>();
        for (String line : lines) {
            if (extras.contains(line)) {
                extrasInBody.add(line);
            }
        }
        assertEquals(extrasInBody, expected);
        assertEquals(lines.size(), outLines.size());
        assertTrue(out.endsWith("\r\n"));
    }

    private static void rewriteOrRefuse(String body) {
        try {
            SdpGoldenTest.rewrite(body);
        } catch (MediaUnavailableException expected) {
            assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
        } catch (Exception other) {
            throw new AssertionError(
                    "parser threw " + other + " for "
                            + body.replace("\r", "\\r").replace("\n", "\\n"),
                    other);
        }
    }

    @Provide
    Arbitrary<String> sdpish() {
        Arbitrary<String> line = Arbitraries.oneOf(
                Arbitraries.of(
                        "v=0",
                        "o=- 1 2 IN IP4 1.2.3.4",
                        "c=IN IP4 1.2.3.4",
                        "c=IN IP4 0.0.0.0",
                        "m=audio 4000 RTP/AVP 0",
                        "m=audio 0 RTP/AVP 0",
                        "a=rtcp:4001",
                        "a=rtcp-mux",
                        "a=rtpmap:0 PCMU/8000",
                        "t=0 0",
                        "s=-"),
                Arbitraries.strings()
                        .withChars("vocmatsb=IN P4 .0123456789:/-\t")
                        .ofMaxLength(30),
                Arbitraries.strings().all().ofMaxLength(20));
        return line.list().ofMaxSize(12).map(lines -> String.join(Math.random() < 0.5 ? "\r\n" : "\n", lines));
    }

    @Provide
    Arbitrary<String> fragments() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars(" =\r\n/0123456789.:aIcmNP").ofMaxLength(6),
                Arbitraries.strings().all().ofMaxLength(4));
    }

    @Provide
    Arbitrary<List<String>> extraLines() {
        Arbitrary<Character> type = Arbitraries.of('a', 'b', 'i', 'k', 'x', 'z');
        Arbitrary<String> value = Arbitraries.strings()
                .withCharRange(' ', '~')
                .ofMinLength(1)
                .ofMaxLength(40)
                .filter(v -> !v.startsWith("rtcp:"));
        Arbitrary<String> extra = Combinators.combine(type, value).as((t, v) -> t + "=" + v + "#x");
        return extra.list().ofMinSize(1).ofMaxSize(6).uniqueElements();
    }

    @Property(tries = 300)
    void everyRefusalNamesTheProblem(@ForAll("sdpish") String body) {
        Assume.that(!body.isBlank());
        try {
            SdpParser.parse(body);
        } catch (MediaUnavailableException e) {
            assertTrue(e.getMessage().startsWith("SDP"), e.getMessage());
        }
    }
}
