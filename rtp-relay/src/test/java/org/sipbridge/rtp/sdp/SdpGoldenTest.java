package org.sipbridge.rtp.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipbridge.rtp.ports.PortPair;

/**
 * SDP in, SDP out: {@code src/test/resources/sdp/NAME.in.sdp} rewritten for a bridge at 198.18.0.1 whose
 * stream {@code i} has ports 40000 + 10·i / +1 must equal {@code NAME.out.sdp} byte for byte. Run with
 * {@code -Dgolden.write=true} to regenerate the expected files after a deliberate change (then review the diff).
 */
class SdpGoldenTest {

    static final Inet4Address BRIDGE = Ipv4Literal.parse("198.18.0.1");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "polycom-offer",
                "asterisk-answer",
                "srtp-sdes",
                "rtcp-mux",
                "rtcp-attribute",
                "hold-zero-address",
                "multi-stream",
                "lf-only",
                "ice"
            })
    void rewritesAsRecorded(String name) throws Exception {
        String input = resource(name + ".in.sdp");
        String output = rewrite(input);
        if (Boolean.getBoolean("golden.write")) {
            Files.writeString(Path.of("src/test/resources/sdp", name + ".out.sdp"), output, StandardCharsets.UTF_8);
        }
        assertEquals(resource(name + ".out.sdp"), output);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "polycom-offer",
                "asterisk-answer",
                "srtp-sdes",
                "rtcp-mux",
                "rtcp-attribute",
                "hold-zero-address",
                "multi-stream",
                "lf-only",
                "ice"
            })
    void changesOnlyTheLinesItOwns(String name) throws Exception {
        String input = resource(name + ".in.sdp");
        List<String> in = SdpLines.split(input).stream()
                .filter(line -> !SdpRewriter.isIceLine(line))
                .toList();
        List<String> out = SdpLines.split(rewrite(input));
        assertEquals(in.size(), out.size(), "same number of lines, less the ICE lines");
        for (int i = 0; i < in.size(); i++) {
            String line = in.get(i);
            boolean owned = line.startsWith("o=")
                    || line.startsWith("c=")
                    || line.startsWith("m=")
                    || line.startsWith("a=rtcp:");
            if (!owned) {
                assertEquals(line, out.get(i), "line " + (i + 1) + " must pass untouched");
            }
        }
        assertTrue(rewrite(input).endsWith("\r\n"));
        assertTrue(!rewrite(input).replace("\r\n", "").contains("\n"), "every line ends with CRLF");
    }

    /** ICE would hand the PBX the phone's LAN addresses (host candidates, raddr), and cannot work through a relay. */
    @org.junit.jupiter.api.Test
    void iceAttributesAreStrippedSoNoLanAddressLeaks() throws Exception {
        String output = rewrite(resource("ice.in.sdp"));
        assertTrue(!output.contains("192.168.1.50"), output);
        assertTrue(
                !output.contains("a=candidate")
                        && !output.contains("a=ice-")
                        && !output.contains("a=remote-candidates")
                        && !output.contains("a=end-of-candidates"),
                output);
        assertTrue(output.contains("a=x-candidate-like:stays\r\n"), "only ICE's own attributes go: " + output);
    }

    @org.junit.jupiter.api.Test
    void aDisabledStreamsUnreadableConnectionLineIsReplacedNotPassedOn() throws Exception {
        String output = rewrite("v=0\r\no=- 1 1 IN IP4 192.168.1.50\r\ns=-\r\nc=IN IP4 192.168.1.50\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 0\r\nm=video 0 RTP/AVP 96\r\nc=IN IP6 fe80::21a:2bff:fe3c:4d5e\r\n"
                + "m=image 0 udptl t38\r\nc=IN IP4 phone.home.lan\r\n");
        assertTrue(!output.contains("fe80") && !output.contains("home.lan"), output);
        assertEquals(3, output.split("c=IN IP4 198.18.0.1", -1).length - 1, output);
    }

    static String rewrite(String input) throws Exception {
        SessionDescription sdp = SdpParser.parse(input);
        List<PortPair> ports = new ArrayList<>();
        for (AnnouncedStream stream : AnnouncedStream.of(sdp)) {
            ports.add(stream.relayed() ? new PortPair(40000 + 10 * stream.index()) : null);
        }
        return SdpRewriter.rewrite(sdp, BRIDGE, ports, new OriginVersions().next(input, sdp.origin()));
    }

    static String resource(String name) throws IOException {
        try (InputStream in = SdpGoldenTest.class.getResourceAsStream("/sdp/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource sdp/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
