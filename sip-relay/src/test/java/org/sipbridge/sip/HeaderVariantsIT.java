package org.sipbridge.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sipbridge.sip.LoopbackBridge.LAN;
import static org.sipbridge.sip.LoopbackBridge.PBX;
import static org.sipbridge.sip.LoopbackBridge.VPN;
import static org.sipbridge.sip.LoopbackBridge.uriOf;
import static org.sipbridge.sip.LoopbackBridge.withSdp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sipbridge.sip.TextSipPeer.Message;

/**
 * Tolerant parsing, strict generation (issue 15): REGISTER and INVITE, both ways, with the headers
 * the bridge reads written in every way RFC 3261 allows (compact names, any case, folded lines,
 * repeated, empty, absent) and with headers and parameters it has never heard of. Each variant is
 * applied to the requests and to the answers; the test checks what the other side gets: the
 * headers that are not the bridge's pass with their values, and what the bridge writes uses full
 * names, one line per header.
 */
class HeaderVariantsIT {

    private static final String SDP = "v=0\no=x 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\n"
            + "m=audio 40000 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n";
    /** Headers every base message carries besides the dialog's, in the form each variant changes. */
    private static final String COMMON = "Supported: replaces, timer\nUser-Agent: test\nSubject: compact\nX-Note: a\n";

    /**
     * One way of writing the messages: {@code rewrite} turns the base text into it; the receiver
     * must see {@code supported} as the option tags and {@code passed} (header → values) as sent.
     */
    record Variant(
            String name, UnaryOperator<String> rewrite, List<String> supported, Map<String, List<String>> passed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Variant> variants() {
        List<String> base = List.of("replaces", "timer");
        return Stream.of(
                new Variant("plain", m -> m, base, Map.of("User-Agent", List.of("test"))),
                new Variant(
                        "compact names",
                        m -> m.replace("\nVia:", "\nv:")
                                .replace("\nFrom:", "\nf:")
                                .replace("\nTo:", "\nt:")
                                .replace("\nCall-ID:", "\ni:")
                                .replace("\nContact:", "\nm:")
                                .replace("\nContent-Length:", "\nl:")
                                .replace("\nContent-Type:", "\nc:")
                                .replace("\nSupported:", "\nk:")
                                .replace("\nSubject:", "\ns:"),
                        base,
                        Map.of("Subject", List.of("compact"))),
                new Variant(
                        "names in any case",
                        m -> m.replace("\nContact:", "\ncOnTaCt:")
                                .replace("\nSupported:", "\nSUPPORTED:")
                                .replace("\nCall-ID:", "\ncall-id:")
                                .replace("\nContent-Type:", "\ncontent-type:")
                                .replace("\nUser-Agent:", "\nuser-agent:"),
                        base,
                        Map.of("User-Agent", List.of("test"))),
                new Variant(
                        "folded lines",
                        m -> m.replace("\nSupported: replaces, timer", "\nSupported: replaces,\n  timer")
                                .replace("\nUser-Agent: test", "\nUser-Agent: test\n\tphone/1.0")
                                .replace(";expires=300", "\n ;expires=300")
                                .replace("\nX-Note: a", "\nX-Note: a\n  b"),
                        base,
                        Map.of("User-Agent", List.of("test phone/1.0"), "X-Note", List.of("a b"))),
                new Variant(
                        "repeated headers",
                        m -> m.replace("\nSupported: replaces, timer", "\nSupported: replaces\nSupported: timer")
                                .replace("\nX-Note: a", "\nX-Tag: one\nX-Note: a\nX-Tag: two"),
                        base,
                        Map.of("X-Tag", List.of("one", "two"))),
                new Variant(
                        "empty headers",
                        m -> m.replace("\nSupported: replaces, timer", "\nSupported:")
                                .replace("\nX-Note: a", "\nX-Empty:\nOrganization:"),
                        List.of(),
                        Map.of("X-Empty", List.of(""))),
                new Variant(
                        "absent headers",
                        m -> m.replace("\nSupported: replaces, timer", "")
                                .replace("\nUser-Agent: test", "")
                                .replace("\nMax-Forwards: 70", "")
                                .replace("\nX-Note: a", ""),
                        List.of(),
                        Map.of("User-Agent", List.of())),
                new Variant(
                        "unknown headers and parameters",
                        m -> m.replace(
                                        "\nX-Note: a",
                                        "\nX-Vendor: a;b=\"c;d\", e\nP-Unknown: <sip:x@example.com>;p=\"q r\";flag")
                                .replace(";tag=", ";x-p=\"y z\";tag="),
                        base,
                        Map.of(
                                "X-Vendor",
                                List.of("a;b=\"c;d\", e"),
                                "P-Unknown",
                                List.of("<sip:x@example.com>;p=\"q r\";flag"))));
    }

    private LoopbackBridge bridge;

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
    }

    private void start() throws Exception {
        bridge = new LoopbackBridge(new TextSipPeer(PBX), false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void register(Variant variant) throws Exception {
        start();
        bridge.phone.send(
                variant.rewrite()
                        .apply("REGISTER sip:sipbridge.lab SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":"
                                + bridge.phone.port()
                                + ";branch=z9hG4bK-v1;rport\nFrom: <sip:1001@sipbridge.lab>;tag=ft\n"
                                + "To: <sip:1001@sipbridge.lab>\nCall-ID: var-1@phone\nCSeq: 1 REGISTER\nContact: <"
                                + bridge.phoneUri()
                                + ">;expires=300\nMax-Forwards: 70\n" + COMMON + "Content-Length: 0\n\n"),
                bridge.lanSide());
        Message up = bridge.pbx.receive();
        assertEquals("REGISTER sip:sipbridge.lab SIP/2.0", up.startLine());
        checkRelayed(variant, up);
        assertTrue(
                up.header("Contact").startsWith("<sip:1001@" + VPN + ":" + bridge.port + ";sbid="),
                up.header("Contact"));
        assertTrue(up.header("Contact").endsWith(">;expires=300"), up.header("Contact"));
        String bridgeContact = up.header("Contact").replace(";expires=300", "");

        bridge.pbx.send(
                variant.rewrite()
                        .apply(TextSipPeer.response(
                                up, "200 OK", "Contact: " + bridgeContact + ";expires=300\n" + COMMON)),
                up.from());
        Message ok = bridge.phone.receive();
        assertEquals(200, ok.status(), ok.text());
        checkRelayed(variant, ok);
        assertEquals(List.of("<" + bridge.phoneUri() + ">;expires=300"), ok.headers("Contact"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void callFromThePhone(Variant variant) throws Exception {
        start();
        bridge.register("");
        bridge.phone.send(
                variant.rewrite()
                        .apply(withSdp(
                                "INVITE sip:2000@sipbridge.lab SIP/2.0\nVia: SIP/2.0/UDP " + LAN
                                        + ":" + bridge.phone.port()
                                        + ";branch=z9hG4bK-v2\nFrom: <sip:1001@sipbridge.lab>;tag=ft\n"
                                        + "To: <sip:2000@sipbridge.lab>\nCall-ID: var-2@phone\nCSeq: 1 INVITE\nContact: <"
                                        + bridge.phoneUri()
                                        + ">;expires=300\nMax-Forwards: 70\n" + COMMON,
                                SDP)),
                bridge.lanSide());
        Message invite = bridge.pbx.receive();
        assertEquals("INVITE sip:2000@sipbridge.lab SIP/2.0", invite.startLine());
        checkRelayed(variant, invite);
        assertTrue(invite.text().contains("c=IN IP4 " + VPN), invite.text());
        assertEquals("<sip:1001@" + VPN + ":" + bridge.port + ">;expires=300", invite.header("Contact"));

        String pbxContact = "Contact: <sip:2000@" + PBX + ":" + bridge.pbx.port() + ">;expires=300\n";
        bridge.pbx.send(
                variant.rewrite().apply(TextSipPeer.response(invite, "180 Ringing", pbxContact + COMMON)),
                invite.from());
        Message ringing = bridge.phone.receiveAfterTrying();
        assertEquals(180, ringing.status(), ringing.text());
        checkRelayed(variant, ringing);
        bridge.pbx.send(
                variant.rewrite()
                        .apply(withSdp(
                                TextSipPeer.response(invite, "200 OK", pbxContact + COMMON)
                                        .replace("Content-Length: 0\n\n", ""),
                                SDP)),
                invite.from());
        Message ok = bridge.phone.receive();
        assertEquals(200, ok.status(), ok.text());
        checkRelayed(variant, ok);
        assertEquals("<sip:2000@" + LAN + ":" + bridge.port + ">;expires=300", ok.header("Contact"));
        assertTrue(ok.text().contains("c=IN IP4 " + LAN), ok.text());
        assertEquals(
                List.of("ANSWERED"),
                bridge.relay.calls().stream().map(c -> c.state()).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void callToThePhone(Variant variant) throws Exception {
        start();
        bridge.register("");
        bridge.pbx.send(
                variant.rewrite()
                        .apply(withSdp(
                                "INVITE " + uriOf(bridge.registeredContact) + " SIP/2.0\n"
                                        + "Via: SIP/2.0/UDP " + PBX + ":" + bridge.pbx.port()
                                        + ";branch=z9hG4bK-v3\nFrom: <sip:2000@sipbridge.lab>;tag=pt\n"
                                        + "To: <sip:1001@sipbridge.lab>\nCall-ID: var-3@pbx\nCSeq: 10 INVITE\nContact: <sip:2000@"
                                        + PBX + ":"
                                        + bridge.pbx.port() + ">;expires=300\nMax-Forwards: 70\n" + COMMON,
                                SDP)),
                bridge.vpnSide());
        Message invite = bridge.phone.receive();
        assertEquals("INVITE " + bridge.phoneUri() + " SIP/2.0", invite.startLine());
        checkRelayed(variant, invite);
        assertEquals("<sip:2000@" + LAN + ":" + bridge.port + ">;expires=300", invite.header("Contact"));

        bridge.phone.send(
                variant.rewrite()
                        .apply(withSdp(
                                TextSipPeer.response(
                                                invite,
                                                "200 OK",
                                                "Contact: <" + bridge.phoneUri() + ">;expires=300\n" + COMMON)
                                        .replace("Content-Length: 0\n\n", ""),
                                SDP)),
                invite.from());
        Message ok = bridge.pbx.receiveAfterTrying();
        assertEquals(200, ok.status(), ok.text());
        checkRelayed(variant, ok);
        assertEquals("<sip:1001@" + VPN + ":" + bridge.port + ">;expires=300", ok.header("Contact"));
        assertFalse(ok.text().contains(LAN), ok.text());
    }

    /** What the variant passes through, and the bridge's strict forms: full names, one line each. */
    private static void checkRelayed(Variant variant, Message relayed) {
        assertEquals(variant.supported(), optionTags(relayed, "Supported"), relayed.text());
        variant.passed()
                .forEach(
                        (name, values) -> assertEquals(values, relayed.headers(name), name + " in\n" + relayed.text()));
        String head = relayed.text().substring(0, relayed.text().indexOf("\r\n\r\n"));
        for (String line : head.split("\r\n")) {
            assertFalse(line.startsWith(" ") || line.startsWith("\t"), "folded line in\n" + relayed.text());
        }
        for (String[] header : relayed.headers()) {
            assertTrue(header[0].length() > 1, "compact header " + header[0] + " in\n" + relayed.text());
        }
    }

    private static List<String> optionTags(Message message, String name) {
        List<String> tags = new ArrayList<>();
        for (String value : message.headers(name)) {
            Arrays.stream(value.split(","))
                    .map(String::trim)
                    .filter(t -> !t.isEmpty())
                    .forEach(tags::add);
        }
        return tags;
    }
}
