package org.sipbridge.sip.torture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.BridgeSettings;
import org.sipbridge.config.ProtocolSettings;
import org.sipbridge.config.TcpSettings;
import org.sipbridge.config.TlsSettings;
import org.sipbridge.config.Transport;
import org.sipbridge.config.UdpSettings;
import org.sipbridge.sip.FakeMediaRelay;
import org.sipbridge.sip.Loopback;
import org.sipbridge.sip.SipRelayService;
import org.sipbridge.sip.TextSipPeer;

/**
 * RFC 4475's §3.1.1 (valid) and §3.1.2 (invalid) torture messages sent over UDP to each side of one
 * bridge on loopback: phone 127.0.0.1 (LAN), bridge PBX side 127.0.0.3 (VPN), PBX 127.0.0.2. Each
 * case records what happened (relayed, answered, dropped), checks it against what the RFC allows,
 * and then checks that nothing was left behind: no 500 anywhere, no call or media session alive, no
 * thread died, and a normal call still works. The table of outcomes is written to
 * {@code target/rfc4475-results.md} (copied into docs/sip.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TortureMessagesIT {

    private static final String LAN = Loopback.LAN;
    private static final String VPN = Loopback.VPN;
    private static final String PBX = "127.0.0.2";
    /** The From users of the messages: the phone registers each, so its requests are its own. */
    private static final List<String> USERS = List.of(
            "1001",
            "jdrosen",
            "mundane",
            "I%20have%20spaces",
            "resource",
            "caller",
            "amazinglylongcallernameamazinglylongcallernameamazinglylongcallernameamazinglylongcallernameamazinglylongcallername",
            "fluffy",
            "local-resource",
            "a.g.bell");

    private static final String SDP = "v=0\r\no=phone 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    /** How long a case waits for anything after the last thing it saw. */
    private static final int QUIET_MS = 1200;

    private static final Pattern CALL_ID = Pattern.compile("(?im)^(?:call-id|i)\\s*:\\s*(\\S+)");

    @TempDir
    Path dataDir;

    private final Map<String, String> results = new ConcurrentSkipListMap<>();
    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private Thread.UncaughtExceptionHandler previousHandler;
    private SipRelayService relay;
    private FakeMediaRelay media;
    private DatagramPeer phone;
    private DatagramPeer pbx;
    private InetSocketAddress bridgeLan;
    private InetSocketAddress bridgeVpn;
    /** host:port;sbid=… of the bridge contact registered for 1001: where the PBX sends requests for the phone. */
    private String bridgeContact;

    private int sequence;

    @BeforeAll
    void catchThreadDeaths() {
        previousHandler = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
    }

    /**
     * A new bridge for every case: many RFC messages share a branch (z9hG4bKkdjuw) and jain-sip
     * finds server transactions by branch alone, so on one stack a later message would be taken for
     * a retransmission of an earlier one (the RFC's examples are not meant to be sent together).
     */
    @BeforeEach
    void start() throws Exception {
        phone = new DatagramPeer(LAN);
        pbx = new DatagramPeer(PBX);
        int port = Loopback.freePort(LAN);
        BridgeConfig d = BridgeConfig.defaults();
        ProtocolSettings protocols = new ProtocolSettings(
                new UdpSettings(true, port, 500, 1000, 3, 4),
                new TcpSettings(false, port, 2),
                new TlsSettings(false, 8061, false, TlsSettings.DEFAULT_CIPHER_SUITES, "", "", ""),
                true,
                24);
        BridgeSettings bridge =
                d.bridge().withServers(List.of(PBX + ":" + pbx.port())).withAdapters("lo", "lo");
        bridge = new BridgeSettings(
                bridge.name(),
                bridge.servers(),
                Transport.UDP,
                bridge.lanAdapter(),
                bridge.vpnAdapter(),
                bridge.listenPort(),
                bridge.managedPhoneProvisioning(),
                bridge.dhcpOptionCode(),
                bridge.phoneMacAllowList(),
                bridge.provisioningHttpPort(),
                bridge.provisioningHttpsPort(),
                false,
                "",
                "",
                bridge.provisioningUpstream(),
                Transport.UDP);
        BridgeConfig config = d.withBridge(bridge).withProtocols(protocols);
        media = new FakeMediaRelay(LAN, VPN);
        relay = new SipRelayService(
                () -> config,
                media,
                Loopback.adapter("eth0", LAN),
                Loopback.adapter("tun0", VPN),
                dataDir,
                Clock.systemUTC(),
                600_000);
        relay.start();
        bridgeLan = new InetSocketAddress(LAN, port);
        bridgeVpn = new InetSocketAddress(VPN, port);
        for (String user : USERS) {
            register(user);
        }
    }

    @AfterEach
    void stop() {
        relay.stop();
        phone.close();
        pbx.close();
    }

    @AfterAll
    void writeResults() throws IOException {
        Thread.setDefaultUncaughtExceptionHandler(previousHandler);
        StringBuilder table = new StringBuilder(
                "| Message | RFC 4475 | Valid | Expected per RFC | LAN (phone side) | VPN (PBX side) |\n"
                        + "|---|---|---|---|---|---|\n");
        for (TortureMessage m : Rfc4475.MESSAGES) {
            table.append("| `")
                    .append(m.name())
                    .append("` | §")
                    .append(m.section())
                    .append(" | ")
                    .append(m.valid() ? "valid" : "invalid")
                    .append(" | ")
                    .append(m.rfcSays())
                    .append(" | ")
                    .append(results.getOrDefault(m.name() + " LAN", "not run"))
                    .append(" | ")
                    .append(results.getOrDefault(m.name() + " VPN", "not run"))
                    .append(" |\n");
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "rfc4475-results.md"), table);
    }

    Stream<Arguments> cases() {
        // -Dtorture.only=name,name runs just those messages (when looking into one).
        List<String> only = List.of(System.getProperty("torture.only", "").split(","));
        return Rfc4475.MESSAGES.stream()
                .filter(m -> only.equals(List.of("")) || only.contains(m.name()))
                .flatMap(m -> Stream.of(Arguments.of(m.name(), "LAN"), Arguments.of(m.name(), "VPN")));
    }

    @ParameterizedTest(name = "{0} on the {1} side")
    @MethodSource("cases")
    void tortureMessage(String name, String side) throws Exception {
        TortureMessage message = Rfc4475.MESSAGES.stream()
                .filter(m -> m.name().equals(name))
                .findFirst()
                .orElseThrow();
        boolean vpn = "VPN".equals(side);
        Outcome outcome = message.isResponse() ? answerWith(message, vpn) : send(message, vpn);
        results.put(name + " " + side, outcome.describe());
        // 501 and 505 are answers RFC 4475 names (unknown method, version); any other 5xx is a failure.
        assertTrue(
                outcome.statuses.stream().noneMatch(s -> s >= 500 && s < 600 && s != 501 && s != 505),
                "a 5xx: " + outcome.describe());
        assertTrue(
                (vpn ? message.expectedVpn() : message.expectedLan()).contains(outcome.label()),
                name + " on the " + side + " side: " + outcome.describe() + "; the RFC allows "
                        + (vpn ? message.expectedVpn() : message.expectedLan()));
        nothingIsLeftBehind();
        aNormalCallStillWorks();
    }

    /** What a case saw: the label checked against the RFC, and the details for the table. */
    private static final class Outcome {
        String relayed;
        final List<Integer> statuses = new ArrayList<>();
        Integer answered;
        String note = "";

        String label() {
            if (relayed != null) {
                return "relayed";
            }
            return answered != null ? "answered " + answered : note.startsWith("accepted") ? "accepted" : "dropped";
        }

        String describe() {
            String label = label();
            String details = note.startsWith("accepted")
                    ? note.substring("accepted".length()).strip()
                    : note;
            return label + (relayed != null ? " (" + relayed + ")" : "") + (details.isEmpty() ? "" : " " + details);
        }
    }

    /** Sends the adapted request from the side's peer and follows it until the transaction ends. */
    private Outcome send(TortureMessage message, boolean vpn) throws IOException {
        DatagramPeer sender = vpn ? pbx : phone;
        DatagramPeer far = vpn ? phone : pbx;
        byte[] request = message.adaptedRequest(sender.hostPort(), vpn, bridgeContact);
        String callId = callIdOf(new String(request, StandardCharsets.ISO_8859_1));
        sender.send(request, vpn ? bridgeVpn : bridgeLan);
        Outcome outcome = new Outcome();
        long quietUntil = System.nanoTime() + QUIET_MS * 1_000_000L;
        boolean done = false;
        while (!done && System.nanoTime() < quietUntil) {
            DatagramPeer.Received relayed = far.poll(20);
            if (relayed != null && serve(far, relayed, 486)) {
                // One request in, at most one out (dblreq's trailing INVITE is noise, RFC 4475 §3.1.1.8).
                assertEquals(
                        null,
                        outcome.relayed,
                        "a second request was relayed: " + relayed.message().startLine());
                outcome.relayed = "the " + (vpn ? "phone" : "PBX") + " got "
                        + relayed.message().startLine();
                keep(message.name() + "-" + (vpn ? "vpn" : "lan"), relayed.bytes());
                relayedRequestIsWellFormed(message, relayed);
                if (message.name().equals("mpart01")) {
                    assertArrayEquals(message.body(), relayed.body(), "the binary body changed on the way");
                }
                quietUntil = System.nanoTime() + QUIET_MS * 1_000_000L;
            }
            DatagramPeer.Received answer = sender.poll(20);
            if (answer != null
                    && answer.message().status() > 0
                    && callId.equals(answer.message().header("Call-ID"))) {
                int status = answer.message().status();
                outcome.statuses.add(status);
                if (status >= 200) {
                    done = true;
                    if (outcome.relayed == null) {
                        keep("answer-" + message.name() + "-" + (vpn ? "vpn" : "lan"), answer.bytes());
                        answerIsWellFramed(answer);
                        outcome.answered = status;
                        outcome.note = "`" + answer.message().startLine().substring(8) + "`";
                    } else {
                        outcome.note = "answer " + status + " relayed back";
                    }
                    if (answer.message().header("CSeq").endsWith("INVITE")) {
                        acknowledge(sender, answer, vpn ? bridgeVpn : bridgeLan);
                    }
                }
            }
        }
        return outcome;
    }

    /** Every line of the answer's header section is a header or its continuation (no line broken off a reason phrase). */
    private static void answerIsWellFramed(DatagramPeer.Received answer) {
        String text = answer.text();
        String[] lines = text.substring(0, text.indexOf("\r\n\r\n")).split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            assertTrue(
                    lines[i].contains(":") || lines[i].startsWith(" ") || lines[i].startsWith("\t"),
                    "not a header line: `" + lines[i] + "` in\n" + text);
        }
        assertTrue(lines[0].chars().allMatch(c -> c >= 0x20 && c < 0x7f), "unprintable status line: " + lines[0]);
    }

    /** What the bridge relays must be a request RFC 3261 allows, whatever it received. */
    private static void relayedRequestIsWellFormed(TortureMessage message, DatagramPeer.Received relayed) {
        TextSipPeer.Message m = relayed.message();
        assertTrue(m.startLine().matches("\\S+ \\S+ SIP/2\\.0"), "relayed start line: " + m.startLine());
        String[] cseq = m.header("CSeq").split("\\s+");
        assertEquals(m.method(), cseq[cseq.length - 1], "the relayed CSeq method is not the request's");
        java.util.regex.Pattern kept = Rfc4475.MUST_RELAY.get(message.name());
        if (kept != null) {
            assertTrue(
                    kept.matcher(relayed.text()).find(),
                    message.name() + ": not relayed unchanged:\n" + relayed.text());
        }
        java.util.regex.Pattern error = Rfc4475.MUST_NOT_RELAY.get(message.name());
        if (error != null) {
            assertTrue(
                    !error.matcher(relayed.text()).find(),
                    message.name() + ": the error was relayed:\n" + relayed.text());
        }
    }

    /**
     * A response: the other side's peer sends a normal request, the side's peer answers what the
     * bridge relays with the torture response (then, unless that ended the transaction, a plain
     * final answer), and the outcome is what reached the requester.
     */
    private Outcome answerWith(TortureMessage message, boolean vpn) throws IOException {
        DatagramPeer responder = vpn ? pbx : phone;
        DatagramPeer requester = vpn ? phone : pbx;
        InetSocketAddress bridge = vpn ? bridgeLan : bridgeVpn;
        String method = message.cseqMethod();
        String callId = message.name() + "-" + (++sequence) + "@" + requester.address();
        requester.sendText(
                plainRequest(
                        method, requester, vpn ? "sip:2000@sipbridge.lab" : "sip:1001@" + bridgeContact, callId, 1),
                bridge);
        DatagramPeer.Received request = awaitRequest(responder, method);
        responder.send(
                message.asAnswerTo(request, responder.hostPort()),
                request.message().from());
        Outcome outcome = new Outcome();
        int retransmissions = 0;
        String tortureLine = message.startLine();
        long quietUntil = System.nanoTime() + QUIET_MS * 1_000_000L;
        boolean finalSeen = false;
        while (System.nanoTime() < quietUntil) {
            DatagramPeer.Received again = responder.poll(20);
            if (again != null && method.equals(again.message().method())) {
                retransmissions++;
            } else if (again != null) {
                serve(responder, again, 486);
            }
            DatagramPeer.Received answer = requester.poll(20);
            if (answer != null
                    && answer.message().status() > 0
                    && callId.equals(answer.message().header("Call-ID"))) {
                int status = answer.message().status();
                String startLine = answer.text().substring(0, answer.text().indexOf("\r\n"));
                if (status > 100 && tortureLine.startsWith("SIP/2.0 " + status + " ")) {
                    outcome.relayed = "the " + (vpn ? "phone" : "PBX") + " got `"
                            + new String(startLine.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8) + "`";
                    outcome.statuses.add(status);
                    assertEquals(tortureLine, startLine, "the status line changed on the way");
                }
                if (status >= 200 && answer.message().header("CSeq").endsWith("INVITE")) {
                    finalSeen = true;
                    acknowledge(requester, answer, bridge);
                }
            }
        }
        if (outcome.relayed == null) {
            outcome.note = retransmissions == 0
                    ? "accepted (the bridge stopped retransmitting)"
                    : "(the bridge retransmitted its request " + retransmissions + " times)";
        }
        if (!finalSeen) {
            // A plain final answer ends the transaction either way.
            DatagramPeer.Received last = request;
            responder.sendText(
                    TextSipPeer.response(
                            last.message(), "Invite".equalsIgnoreCase(method) ? "486 Busy Here" : "200 OK", ""),
                    last.message().from());
            DatagramPeer.Received answer;
            while ((answer = requester.poll(QUIET_MS)) != null) {
                if (answer.message().status() >= 200
                        && callId.equals(answer.message().header("Call-ID"))) {
                    outcome.statuses.add(answer.message().status());
                    if (answer.message().header("CSeq").endsWith("INVITE")) {
                        acknowledge(requester, answer, bridge);
                    }
                    break;
                }
            }
        }
        return outcome;
    }

    private DatagramPeer.Received awaitRequest(DatagramPeer peer, String method) throws IOException {
        DatagramPeer.Received received;
        while ((received = peer.poll(3000)) != null) {
            if (method.equals(received.message().method()) && !isProbe(received)) {
                return received;
            }
            serve(peer, received, 486);
        }
        throw new AssertionError("the bridge did not relay the " + method);
    }

    /**
     * Answers what a peer received as a simple endpoint would: INVITE with {@code inviteStatus},
     * anything else but ACK with 200. True when it was a request the bridge relayed (not a
     * probe, not an ACK, not a response).
     */
    private boolean serve(DatagramPeer peer, DatagramPeer.Received received, int inviteStatus) throws IOException {
        TextSipPeer.Message m = received.message();
        if (m.status() > 0 || "ACK".equals(m.method())) {
            return false;
        }
        String extra = "";
        if ("REGISTER".equals(m.method()) && m.header("Contact") != null) {
            extra = "Contact: " + m.header("Contact") + ";expires=60\n";
        }
        String status =
                "INVITE".equals(m.method()) ? inviteStatus + (inviteStatus == 486 ? " Busy Here" : " OK") : "200 OK";
        if ("INVITE".equals(m.method()) && inviteStatus == 200) {
            extra = "Contact: <sip:far@" + peer.hostPort() + ">\nContent-Type: application/sdp\n";
            peer.sendText(
                    TextSipPeer.response(m, status, extra)
                            .replace("Content-Length: 0\n\n", "Content-Length: " + SDP.length() + "\n\n" + SDP),
                    m.from());
        } else {
            peer.sendText(TextSipPeer.response(m, status, extra), m.from());
        }
        return !isProbe(received);
    }

    /** The bridge's own OPTIONS keepalive to the PBX (no user in its Request-URI). */
    private static boolean isProbe(DatagramPeer.Received received) {
        return "OPTIONS".equals(received.message().method())
                && !received.message().startLine().contains("@");
    }

    /** ACK for a final answer to an INVITE (to the Contact for a 2xx, then BYE to end the call). */
    private void acknowledge(DatagramPeer peer, DatagramPeer.Received answer, InetSocketAddress bridge)
            throws IOException {
        TextSipPeer.Message m = answer.message();
        int cseq = Integer.parseInt(m.header("CSeq").split("\\s+")[0]);
        boolean success = m.status() < 300;
        String target = success ? uriOf(m.header("Contact")) : "sip:" + bridge.getHostString() + ":" + bridge.getPort();
        String via = success
                ? "Via: SIP/2.0/UDP " + peer.hostPort() + ";branch=z9hG4bK-ack" + (++sequence)
                : "Via: " + m.header("Via");
        String dialog = "From: " + m.header("From") + "\nTo: " + m.header("To") + "\nCall-ID: " + m.header("Call-ID")
                + "\nMax-Forwards: 70\n";
        peer.sendText(
                "ACK " + target + " SIP/2.0\n" + via + "\n" + dialog + "CSeq: " + cseq + " ACK\nContent-Length: 0\n\n",
                bridge);
        if (success) {
            peer.sendText(
                    "BYE " + target + " SIP/2.0\nVia: SIP/2.0/UDP " + peer.hostPort() + ";branch=z9hG4bK-bye"
                            + (++sequence) + "\n" + dialog + "CSeq: " + (cseq + 1) + " BYE\nContent-Length: 0\n\n",
                    bridge);
            DatagramPeer other = peer == phone ? pbx : phone;
            long until = System.nanoTime() + 3_000_000_000L;
            boolean byeAnswered = false;
            while (!byeAnswered && System.nanoTime() < until) {
                DatagramPeer.Received r = other.poll(20);
                if (r != null) {
                    serve(other, r, 486);
                }
                DatagramPeer.Received ok = peer.poll(20);
                byeAnswered = ok != null
                        && ok.message().status() >= 200
                        && ok.message().header("CSeq").endsWith("BYE");
            }
            assertTrue(byeAnswered, "the BYE ending the call was not answered");
        }
    }

    private String plainRequest(String method, DatagramPeer from, String uri, String callId, int cseq) {
        String user = from == phone ? "1001" : "2000";
        boolean invite = "INVITE".equals(method);
        return method + " " + uri + " SIP/2.0\nVia: SIP/2.0/UDP " + from.hostPort() + ";branch=z9hG4bK-"
                + callId.hashCode()
                + "-" + cseq + "\nFrom: <sip:" + user + "@sipbridge.lab>;tag=plain" + cseq + "\nTo: <" + uri
                + ">\nCall-ID: "
                + callId + "\nCSeq: " + cseq + " " + method + "\nContact: <sip:" + user + "@" + from.hostPort()
                + ">\nMax-Forwards: 70\n"
                + (invite
                        ? "Content-Type: application/sdp\nContent-Length: " + SDP.length() + "\n\n" + SDP
                        : "Content-Length: 0\n\n");
    }

    /** No call, media session or thread left by the case; waits a little for the bridge to finish. */
    private void nothingIsLeftBehind() throws InterruptedException {
        long until = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < until && !settled()) {
            Thread.sleep(50);
        }
        assertEquals(
                List.of(),
                relay.calls().stream()
                        .filter(c -> !"ENDED".equals(c.state()))
                        .map(c -> c.callId() + " " + c.state())
                        .toList(),
                "calls left alive");
        assertEquals(media.allocated.size(), media.released.get(), "media sessions left allocated");
        assertEquals(List.of(), uncaught.stream().map(Throwable::toString).toList(), "a thread died");
    }

    private boolean settled() {
        return relay.calls().stream().allMatch(c -> "ENDED".equals(c.state()))
                && media.allocated.size() == media.released.get();
    }

    /** The phone calls through the bridge, the PBX answers, the phone hangs up. */
    private void aNormalCallStillWorks() throws IOException {
        String callId = "normal-" + (++sequence) + "@" + LAN;
        phone.sendText(plainRequest("INVITE", phone, "sip:2000@sipbridge.lab", callId, 1), bridgeLan);
        long until = System.nanoTime() + 5_000_000_000L;
        DatagramPeer.Received ok = null;
        while (ok == null && System.nanoTime() < until) {
            DatagramPeer.Received r = pbx.poll(20);
            if (r != null) {
                serve(pbx, r, 200);
            }
            DatagramPeer.Received answer = phone.poll(20);
            if (answer != null
                    && answer.message().status() >= 200
                    && callId.equals(answer.message().header("Call-ID"))) {
                ok = answer;
            }
        }
        assertNotNull(ok, "a normal call got no answer");
        assertEquals(200, ok.message().status(), ok.message().startLine());
        acknowledge(phone, ok, bridgeLan);
    }

    private void register(String user) throws IOException {
        String callId = "reg-" + user.hashCode() + "@" + LAN;
        phone.sendText(
                "REGISTER sip:sipbridge.lab SIP/2.0\nVia: SIP/2.0/UDP " + phone.hostPort() + ";branch=z9hG4bK-r"
                        + user.hashCode() + "\nFrom: <sip:" + user + "@sipbridge.lab>;tag=r\nTo: <sip:" + user
                        + "@sipbridge.lab>\n"
                        + "Call-ID: " + callId + "\nCSeq: 1 REGISTER\nContact: <sip:" + user + "@" + phone.hostPort()
                        + ">\nExpires: 3600\nMax-Forwards: 70\nContent-Length: 0\n\n",
                bridgeLan);
        DatagramPeer.Received register = awaitRequest(pbx, "REGISTER");
        serve(pbx, register, 486);
        if ("1001".equals(user)) {
            String uri = uriOf(register.message().header("Contact"));
            bridgeContact = uri.substring(uri.indexOf('@') + 1);
        }
        DatagramPeer.Received ok;
        do {
            ok = phone.poll(3000);
            assertNotNull(ok, "no answer to the REGISTER of " + user);
        } while (!callId.equals(ok.message().header("Call-ID")));
        assertEquals(200, ok.message().status(), "REGISTER of " + user);
    }

    private static String uriOf(String header) {
        Matcher m = Pattern.compile("<([^>]+)>").matcher(header);
        return m.find() ? m.group(1) : header.split(";")[0];
    }

    /** Keeps what the far side got in target/rfc4475-relayed, to read when a result looks odd. */
    private static void keep(String name, byte[] bytes) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "rfc4475-relayed"));
        Files.write(dir.resolve(name + ".txt"), bytes);
    }

    private static String callIdOf(String text) {
        Matcher m = CALL_ID.matcher(text);
        return m.find() ? m.group(1) : "";
    }
}
