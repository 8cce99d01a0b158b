package org.sipbridge.sip.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.ProtocolSettings;
import org.sipbridge.config.Station;
import org.sipbridge.config.TcpSettings;
import org.sipbridge.config.TlsSettings;
import org.sipbridge.config.UdpSettings;
import org.sipbridge.contract.status.ServerStatus;
import org.sipbridge.sip.FakeMediaRelay;
import org.sipbridge.sip.Loopback;
import org.sipbridge.sip.SipRelayService;
import org.sipbridge.sip.TextSipPeer;
import org.sipbridge.sip.auth.DigestResponse;

/**
 * The REGISTER relay on loopback: the phone on 127.0.0.1 (LAN), the bridge's PBX side on
 * 127.0.0.3 (VPN), a PBX on 127.0.0.2. Checks the exact messages each side gets.
 */
class RegistrationRelayIT {

    private static final String LAN = "127.0.0.1";
    private static final String VPN = "127.0.0.3";
    private SipRelayService relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.stop();
        }
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(LAN), 0))) {
            return a.getLocalPort();
        }
    }

    private int start(TextSipPeer pbx, List<Station> stations) throws Exception {
        return start(pbx, stations, new RegistrationMemory());
    }

    private int start(TextSipPeer pbx, List<Station> stations, RegistrationMemory memory) throws Exception {
        int port = freeUdpPort();
        BridgeConfig d = BridgeConfig.defaults();
        ProtocolSettings protocols = new ProtocolSettings(
                new UdpSettings(true, port, 500, 1000, 3, 4),
                new TcpSettings(false, port, 2),
                new TlsSettings(false, 8061, false, TlsSettings.DEFAULT_CIPHER_SUITES, "", "", ""),
                true,
                24);
        BridgeConfig config = d.withBridge(d.bridge()
                        .withServers(List.of(pbx.address() + ":" + pbx.port()))
                        .withAdapters("lo", "lo"))
                .withProtocols(protocols)
                .withStations(stations);
        relay = new SipRelayService(
                        () -> config,
                        new FakeMediaRelay(LAN, VPN),
                        Loopback.adapter("eth0", LAN),
                        Loopback.adapter("tun0", VPN),
                        java.nio.file.Path.of("target"),
                        Clock.systemUTC(),
                        60_000)
                .rememberingRegistrationsIn(memory);
        relay.start();
        return port;
    }

    private static String register(TextSipPeer phone, String user, int cseq, String extra) {
        return "REGISTER sip:sipbridge.lab SIP/2.0\n"
                + "Via: SIP/2.0/UDP " + LAN + ":" + phone.port() + ";branch=z9hG4bK-phone-" + cseq + ";rport\n"
                + "From: <sip:" + user + "@sipbridge.lab>;tag=phonetag\n"
                + "To: <sip:" + user + "@sipbridge.lab>\n"
                + "Call-ID: 4a6f3c@" + LAN + "\n"
                + "CSeq: " + cseq + " REGISTER\n"
                + "Contact: <sip:" + user + "@" + LAN + ":" + phone.port() + ">;expires=300\n"
                + "Max-Forwards: 70\n"
                + "User-Agent: PolycomVVX-VVX_450-UA/6.4.0\n"
                + extra
                + "Content-Length: 0\n\n";
    }

    private static String param(String header, String name) {
        Matcher m = Pattern.compile(name + "=\"?([^\",;]+)\"?").matcher(header);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void passThroughAuthHidesTheLanAndLeavesTheDigestUntouched() throws Exception {
        try (TextSipPeer pbx = new TextSipPeer("127.0.0.2");
                TextSipPeer phone = new TextSipPeer(LAN)) {
            int port = start(pbx, List.of());
            InetSocketAddress bridge = new InetSocketAddress(LAN, port);

            phone.send(register(phone, "1001", 1, ""), bridge);
            TextSipPeer.Message first = pbx.receive();
            assertEquals("REGISTER sip:sipbridge.lab SIP/2.0", first.startLine());
            assertFalse(first.text().contains(LAN), "the PBX must never see a LAN address:\n" + first.text());
            assertTrue(first.header("Via").startsWith("SIP/2.0/UDP " + VPN + ":" + port), first.header("Via"));
            assertEquals(1, first.headers("Via").size());
            assertTrue(
                    first.header("Contact").startsWith("<sip:1001@" + VPN + ":" + port + ";sbid="),
                    first.header("Contact"));
            assertTrue(first.header("Contact").endsWith(";expires=300"), first.header("Contact"));
            assertTrue(first.header("Route").contains("sip:127.0.0.2:" + pbx.port() + ";lr"), first.header("Route"));
            assertEquals("69", first.header("Max-Forwards"));
            assertEquals("PolycomVVX-VVX_450-UA/6.4.0", first.header("User-Agent"));
            String challenge = "Digest realm=\"sipbridge.lab\", nonce=\"n0nce\", qop=\"auth\", algorithm=MD5";
            pbx.send(
                    TextSipPeer.response(first, "401 Unauthorized", "WWW-Authenticate: " + challenge + "\n"),
                    first.from());

            TextSipPeer.Message unauthorized = phone.receive();
            assertEquals(401, unauthorized.status());
            assertTrue(unauthorized.header("WWW-Authenticate").contains("nonce=\"n0nce\""));
            assertEquals("4a6f3c@" + LAN, unauthorized.header("Call-ID"));
            assertTrue(unauthorized.header("Via").contains("branch=z9hG4bK-phone-1"));

            String authorization = "Digest username=\"1001\", realm=\"sipbridge.lab\", nonce=\"n0nce\", "
                    + "uri=\"sip:sipbridge.lab\", response=\"0123456789abcdef0123456789abcdef\", qop=auth, nc=00000001, cnonce=\"c1\"";
            phone.send(register(phone, "1001", 2, "Authorization: " + authorization + "\n"), bridge);
            TextSipPeer.Message second = pbx.receive();
            assertEquals(first.header("Call-ID"), second.header("Call-ID"));
            assertTrue(Integer.parseInt(second.header("CSeq").split(" ")[0])
                    > Integer.parseInt(first.header("CSeq").split(" ")[0]));
            String relayed = second.header("Authorization");
            for (String part : List.of(
                    "username=\"1001\"",
                    "nonce=\"n0nce\"",
                    "uri=\"sip:sipbridge.lab\"",
                    "response=\"0123456789abcdef0123456789abcdef\"",
                    "cnonce=\"c1\"",
                    "nc=00000001")) {
                assertTrue(relayed.contains(part), part + " changed in " + relayed);
            }
            String bridgeContact = second.header("Contact").replace(";expires=300", "");
            pbx.send(
                    TextSipPeer.response(
                            second,
                            "200 OK",
                            "Contact: " + bridgeContact + ";expires=300\n"
                                    + "Contact: <sip:1001@198.51.100.7:5060>;expires=100\n"),
                    second.from());

            TextSipPeer.Message ok = phone.receive();
            assertEquals(200, ok.status());
            assertEquals(List.of("<sip:1001@" + LAN + ":" + phone.port() + ">;expires=300"), ok.headers("Contact"));
            assertEquals(1, relay.registrations().size());
            assertEquals(
                    "sip:1001@" + LAN + ":" + phone.port(),
                    relay.registrations().get(0).phoneContact());
            assertEquals(ServerStatus.ServerState.UP, relay.servers().get(0).state());
        }
    }

    @Test
    void stationCredentialsAnswerTheChallengeForThePhone() throws Exception {
        try (TextSipPeer pbx = new TextSipPeer("127.0.0.2");
                TextSipPeer phone = new TextSipPeer(LAN)) {
            int port = start(pbx, List.of(new Station("Desk", "1002", "pass1002")));
            phone.send(register(phone, "1002", 1, ""), new InetSocketAddress(LAN, port));
            TextSipPeer.Message first = pbx.receive();
            assertNull(first.header("Authorization"));
            pbx.send(
                    TextSipPeer.response(
                            first,
                            "401 Unauthorized",
                            "WWW-Authenticate: Digest realm=\"sipbridge.lab\", nonce=\"abc123\", qop=\"auth\", algorithm=SHA-256\n"),
                    first.from());

            TextSipPeer.Message second = pbx.receive();
            String authorization = second.header("Authorization");
            assertTrue(authorization.startsWith("Digest "), authorization);
            assertEquals("SHA-256", param(authorization, "algorithm"));
            String expected = DigestResponse.compute(
                    "SHA-256",
                    "1002",
                    "sipbridge.lab",
                    "pass1002",
                    "REGISTER",
                    param(authorization, "uri"),
                    "abc123",
                    "auth",
                    param(authorization, "nc"),
                    param(authorization, "cnonce"));
            assertEquals(expected, param(authorization, "response"));
            assertEquals("00000001", param(authorization, "nc"));
            pbx.send(
                    TextSipPeer.response(second, "200 OK", "Contact: " + second.header("Contact") + "\n"),
                    second.from());

            TextSipPeer.Message ok = phone.receive();
            assertEquals(200, ok.status(), "the phone never sees the challenge");
        }
    }

    @Test
    void wrongStationCredentialsBecomeAForbiddenAndAReason() throws Exception {
        try (TextSipPeer pbx = new TextSipPeer("127.0.0.2");
                TextSipPeer phone = new TextSipPeer(LAN)) {
            int port = start(pbx, List.of(new Station("Desk", "1002", "wrong")));
            phone.send(register(phone, "1002", 1, ""), new InetSocketAddress(LAN, port));
            String challenge = "WWW-Authenticate: Digest realm=\"r\", nonce=\"n\", qop=\"auth\"\n";
            TextSipPeer.Message first = pbx.receive();
            pbx.send(TextSipPeer.response(first, "401 Unauthorized", challenge), first.from());
            TextSipPeer.Message second = pbx.receive();
            pbx.send(TextSipPeer.response(second, "401 Unauthorized", challenge), second.from());
            assertEquals(403, phone.receive().status());
            assertEquals(
                    "The PBX refused the station credentials of 1002",
                    relay.reasons().get(0).message());
        }
    }

    @Test
    void anUnansweredRegisterFailsOverAndMarksTheServerDown() throws Exception {
        try (TextSipPeer dead = new TextSipPeer("127.0.0.2");
                TextSipPeer phone = new TextSipPeer(LAN)) {
            int port = start(dead, List.of());
            dead.close();
            phone.send(register(phone, "1001", 1, ""), new InetSocketAddress(LAN, port));
            TextSipPeer.Message reply = phone.receive();
            assertTrue(reply.status() == 408 || reply.status() == 503, reply.startLine());
            // The unanswered REGISTER made the server suspect; the probe sent at once (also unanswered) marks it down.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (relay.servers().get(0).state() != ServerStatus.ServerState.DOWN && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(ServerStatus.ServerState.DOWN, relay.servers().get(0).state());
        }
    }

    @Test
    void aServerErrorForOneRegisterLeavesTheServerUp() throws Exception {
        try (TextSipPeer pbx = new TextSipPeer("127.0.0.2");
                TextSipPeer phone = new TextSipPeer(LAN)) {
            int port = start(pbx, List.of());
            InetSocketAddress bridge = new InetSocketAddress(LAN, port);
            phone.send(
                    register(phone, "1001", 1, "").replace("To: <sip:1001@sipbridge.lab>", "To: <tel:1000>"), bridge);
            TextSipPeer.Message odd = pbx.receive();
            pbx.send(TextSipPeer.response(odd, "500 Server Internal Error", ""), odd.from());
            assertEquals(500, phone.receive().status(), "the phone gets the PBX's answer");
            assertEquals(ServerStatus.ServerState.UP, relay.servers().get(0).state());

            phone.send(register(phone, "1001", 2, ""), bridge);
            TextSipPeer.Message next = pbx.receive();
            pbx.send(TextSipPeer.response(next, "200 OK", "Contact: " + next.header("Contact") + "\n"), next.from());
            assertEquals(200, phone.receive().status(), "the next REGISTER goes to the same server");
            assertEquals(ServerStatus.ServerState.UP, relay.servers().get(0).state());
        }
    }

    @Test
    void repeatedRefusedPasswordsAreStoppedAtTheBridge() throws Exception {
        try (TextSipPeer pbx = new TextSipPeer("127.0.0.2");
                TextSipPeer guesser = new TextSipPeer(LAN)) {
            int port = start(pbx, List.of());
            InetSocketAddress bridge = new InetSocketAddress(LAN, port);
            String challenge = "WWW-Authenticate: Digest realm=\"r\", nonce=\"n\", qop=\"auth\"\n";
            for (int guess = 1; guess <= 5; guess++) {
                String authorization = "Authorization: Digest username=\"1001\", realm=\"r\", nonce=\"n\", "
                        + "uri=\"sip:sipbridge.lab\", response=\"" + "%032d".formatted(guess)
                        + "\", qop=auth, nc=00000001, cnonce=\"c\"\n";
                guesser.send(register(guesser, "1001", guess, authorization), bridge);
                TextSipPeer.Message tried = pbx.receive();
                pbx.send(TextSipPeer.response(tried, "401 Unauthorized", challenge), tried.from());
                assertEquals(401, guesser.receive().status());
            }
            guesser.send(
                    register(
                            guesser,
                            "1001",
                            6,
                            "Authorization: Digest username=\"1001\", realm=\"r\", "
                                    + "nonce=\"n\", uri=\"sip:sipbridge.lab\", response=\"00000000000000000000000000000006\"\n"),
                    bridge);
            assertEquals("SIP/2.0 403 Forbidden", guesser.receive().startLine());
            assertTrue(pbx.silentFor(700), "the sixth guess reached the PBX");
            assertEquals(1, relay.blockedDigestAttempts());
            assertTrue(
                    relay.reasons().stream().anyMatch(r -> r.message().contains("are blocked")),
                    relay.reasons().toString());
        }
    }

    @Test
    void thePbxSideRefusesRequestsForNothingTheBridgeOwns() throws Exception {
        try (TextSipPeer pbx = new TextSipPeer("127.0.0.2")) {
            int port = start(pbx, List.of());
            String invite = "INVITE sip:1001@" + VPN + ":" + port + " SIP/2.0\n"
                    + "Via: SIP/2.0/UDP 127.0.0.2:" + pbx.port() + ";branch=z9hG4bK-evil\n"
                    + "From: <sip:attacker@127.0.0.2>;tag=a\nTo: <sip:900441234567@" + VPN + ">\n"
                    + "Call-ID: fraud@127.0.0.2\nCSeq: 1 INVITE\nMax-Forwards: 70\nContent-Length: 0\n\n";
            pbx.send(invite, new InetSocketAddress(VPN, port));
            TextSipPeer.Message reply = pbx.receive();
            assertEquals(403, reply.status(), reply.text());
            assertEquals(1, relay.refusedRequests());
        }
    }

    @Test
    void aRestartedRelayRenewsTheRememberedRegistrationAndRemovesTheOldContact() throws Exception {
        RegistrationMemory memory = new RegistrationMemory();
        try (TextSipPeer pbx = new TextSipPeer("127.0.0.2");
                TextSipPeer phone = new TextSipPeer(LAN)) {
            int port = start(pbx, List.of(), memory);
            phone.send(register(phone, "1001", 1, ""), new InetSocketAddress(LAN, port));
            TextSipPeer.Message first = pbx.receive();
            String oldContact = first.header("Contact").replace(";expires=300", "");
            pbx.send(TextSipPeer.response(first, "200 OK", "Contact: " + oldContact + ";expires=300\n"), first.from());
            assertEquals(200, phone.receive().status());
            relay.stop();

            // As after the VPN adapter came back (here on another port): the phone sends nothing.
            int newPort = start(pbx, List.of(), memory);
            TextSipPeer.Message renewed = pbx.receive();
            assertEquals("REGISTER sip:sipbridge.lab SIP/2.0", renewed.startLine());
            assertTrue(renewed.header("Via").startsWith("SIP/2.0/UDP " + VPN + ":" + newPort), renewed.header("Via"));
            List<String> contacts = renewed.headers("Contact").stream()
                    .flatMap(h -> java.util.Arrays.stream(h.split(",(?=<)")))
                    .map(String::trim)
                    .toList();
            assertEquals(2, contacts.size(), contacts.toString());
            String newContact = contacts.stream()
                    .filter(c -> c.contains(":" + newPort + ";"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(newContact.endsWith(";expires=300"), newContact);
            assertTrue(contacts.contains(oldContact + ";expires=0"), contacts.toString());
            assertEquals(0, relay.registrations().size(), "registered only once the PBX accepts");
            pbx.send(TextSipPeer.response(renewed, "200 OK", "Contact: " + newContact + "\n"), renewed.from());
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (relay.registrations().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, relay.registrations().size());
            assertEquals(
                    "sip:1001@" + LAN + ":" + phone.port(),
                    relay.registrations().get(0).phoneContact());
            assertTrue(phone.silentFor(300), "the phone must not get the answer to the bridge's own REGISTER");
        }
    }

    /** RFC 5626/5627 parameters and an unknown quoted one, as a phone and a GRUU registrar write them. */
    private static final String PHONE_PARAMS =
            ";reg-id=1;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-00044b2f1a3c>\""
                    + ";expires=300;q=0.5;x-vendor=\"a b;c=d, e\"";

    private static final String GRUU_PARAMS = PHONE_PARAMS
            + ";pub-gruu=\"sip:1001@sipbridge.lab;gr=urn:uuid:00000000-0000-1000-8000-00044b2f1a3c\""
            + ";temp-gruu=\"sip:tgruu.7hs==jd7vnzga5w7fajsc7-ajd6fabz0f8g5@sipbridge.lab;gr\"";

    @Test
    void contactParametersPassThroughByteExactBothWays() throws Exception {
        try (TextSipPeer pbx = new TextSipPeer("127.0.0.2");
                TextSipPeer phone = new TextSipPeer(LAN)) {
            int port = start(pbx, List.of());
            String phoneContact = "<sip:1001@" + LAN + ":" + phone.port() + ";ob>";
            phone.send(
                    register(phone, "1001", 1, "Supported: gruu, outbound, path\n")
                            .replace(
                                    "Contact: <sip:1001@" + LAN + ":" + phone.port() + ">;expires=300",
                                    "Contact: " + phoneContact + PHONE_PARAMS),
                    new InetSocketAddress(LAN, port));
            TextSipPeer.Message up = pbx.receive();
            String contact = up.header("Contact");
            String bridgeUri = contact.substring(0, contact.indexOf('>') + 1);
            assertTrue(bridgeUri.startsWith("<sip:1001@" + VPN + ":" + port + ";sbid="), contact);
            assertEquals(bridgeUri + PHONE_PARAMS, contact, "parameters changed on the way to the PBX");

            pbx.send(
                    TextSipPeer.response(
                            up,
                            "200 OK",
                            "Contact: " + bridgeUri + GRUU_PARAMS + "\n" + "Require: outbound\nSupported: gruu\n"),
                    up.from());
            TextSipPeer.Message ok = phone.receive();
            assertEquals(200, ok.status());
            assertEquals(
                    List.of(phoneContact + GRUU_PARAMS),
                    ok.headers("Contact"),
                    "parameters changed on the way to the phone");
        }
    }

    @Test
    void contactParametersNamingALanAddressStayOnTheLan() throws Exception {
        try (TextSipPeer pbx = new TextSipPeer("127.0.0.2");
                TextSipPeer phone = new TextSipPeer(LAN)) {
            int port = start(pbx, List.of());
            phone.send(
                    register(phone, "1001", 1, "")
                            .replace(";expires=300", ";expires=300;x-local=\"sip:" + LAN + ":5060\""),
                    new InetSocketAddress(LAN, port));
            TextSipPeer.Message up = pbx.receive();
            assertFalse(up.text().contains(LAN), up.text());
            assertTrue(up.header("Contact").endsWith(">;expires=300"), up.header("Contact"));
        }
    }
}
