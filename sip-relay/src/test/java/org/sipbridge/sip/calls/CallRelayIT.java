package org.sipbridge.sip.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.BridgeSettings;
import org.sipbridge.config.ProtocolSettings;
import org.sipbridge.config.Station;
import org.sipbridge.config.TcpSettings;
import org.sipbridge.config.TlsSettings;
import org.sipbridge.config.Transport;
import org.sipbridge.config.UdpSettings;
import org.sipbridge.contract.status.ServerStatus;
import org.sipbridge.sip.FakeMediaRelay;
import org.sipbridge.sip.Loopback;
import org.sipbridge.sip.SipRelayService;
import org.sipbridge.sip.TextSipPeer;
import org.sipbridge.sip.TextSipPeer.Message;

/**
 * Calls through the bridge on loopback, both ways: the phone on 127.0.0.1 (LAN), the bridge's PBX
 * side on 127.0.0.3 (VPN), the PBX on 127.0.0.2. Each side sees only the bridge.
 */
class CallRelayIT {

    private static final String LAN = "127.0.0.1";
    private static final String VPN = "127.0.0.3";
    private static final String SDP_PHONE = "v=0\no=phone 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\n"
            + "m=audio 40000 RTP/AVP 0 101\na=rtpmap:0 PCMU/8000\na=rtpmap:101 telephone-event/8000\n";
    private static final String SDP_PBX = "v=0\no=pbx 7 7 IN IP4 127.0.0.2\ns=-\nc=IN IP4 127.0.0.2\nt=0 0\n"
            + "m=audio 50000 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n";

    private SipRelayService relay;
    private FakeMediaRelay media;
    private TextSipPeer pbx;
    /** The second server of the registration group, where calls go when the first fails. */
    private TextSipPeer backup;

    private TextSipPeer phone;
    private int port;
    private InetSocketAddress bridgeLan;

    @BeforeEach
    void start() throws Exception {
        start(List.of());
    }

    /** The relay with {@code stations} (users whose challenges the bridge answers itself), the phone registered. */
    private void start(List<Station> stations) throws Exception {
        pbx = new TextSipPeer("127.0.0.2");
        backup = new TextSipPeer("127.0.0.2");
        phone = new TextSipPeer(LAN);
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(LAN), 0))) {
            port = probe.getLocalPort();
        }
        BridgeConfig d = BridgeConfig.defaults();
        ProtocolSettings protocols = new ProtocolSettings(
                new UdpSettings(true, port, 500, 1000, 3, 4),
                new TcpSettings(false, port, 2),
                new TlsSettings(false, 8061, false, TlsSettings.DEFAULT_CIPHER_SUITES, "", "", ""),
                true,
                24);
        BridgeSettings bridge = d.bridge()
                .withServers(List.of("127.0.0.2:" + pbx.port(), "127.0.0.2:" + backup.port()))
                .withAdapters("lo", "lo");
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
        BridgeConfig config = d.withBridge(bridge).withProtocols(protocols).withStations(stations);
        media = new FakeMediaRelay(LAN, VPN);
        relay = new SipRelayService(
                () -> config,
                media,
                Loopback.adapter("eth0", LAN),
                Loopback.adapter("tun0", VPN),
                java.nio.file.Path.of("target"),
                Clock.systemUTC(),
                60_000);
        relay.start();
        bridgeLan = new InetSocketAddress(LAN, port);
        register();
    }

    @AfterEach
    void stop() {
        relay.stop();
        pbx.close();
        backup.close();
        phone.close();
    }

    private String phoneContact() {
        return "<sip:1001@" + LAN + ":" + phone.port() + ">";
    }

    private void register() throws Exception {
        phone.send(
                "REGISTER sip:sipbridge.lab SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port()
                        + ";branch=z9hG4bK-r1\n"
                        + "From: <sip:1001@sipbridge.lab>;tag=r\nTo: <sip:1001@sipbridge.lab>\nCall-ID: reg@phone\nCSeq: 1 REGISTER\n"
                        + "Contact: " + phoneContact() + "\nExpires: 300\nMax-Forwards: 70\nContent-Length: 0\n\n",
                bridgeLan);
        Message register = pbx.receive();
        pbx.send(
                TextSipPeer.response(register, "200 OK", "Contact: " + register.header("Contact") + ";expires=300\n"),
                register.from());
        assertEquals(200, phone.receive().status());
        registeredContact = register.header("Contact");
    }

    private String registeredContact;

    private static String withBody(String headers, String body) {
        String crlfBody = body.replace("\n", "\r\n");
        return headers + "Content-Type: application/sdp\nContent-Length: " + crlfBody.length() + "\n\n" + body;
    }

    private static String uriOf(String header) {
        Matcher m = Pattern.compile("<([^>]+)>").matcher(header);
        return m.find() ? m.group(1) : header;
    }

    private static String toWithTag(Message response) {
        return response.header("To");
    }

    private String phoneInvite(String branch) {
        return withBody(
                "INVITE sip:2000@sipbridge.lab SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port()
                        + ";branch=" + branch + "\nFrom: \"Jane\" <sip:1001@sipbridge.lab>;tag=callertag\n"
                        + "To: <sip:2000@sipbridge.lab>\nCall-ID: call-1@" + LAN + "\nCSeq: 1 INVITE\nContact: "
                        + phoneContact()
                        + "\nMax-Forwards: 70\n",
                SDP_PHONE);
    }

    @Test
    void theClientCallsThePbxHoldsAndHangsUp() throws Exception {
        phone.send(phoneInvite("z9hG4bK-i1"), bridgeLan);
        Message invite = pbx.receive();
        assertEquals("INVITE sip:2000@sipbridge.lab SIP/2.0", invite.startLine());
        assertFalse(invite.text().contains(LAN), "LAN address leaked to the PBX:\n" + invite.text());
        assertTrue(invite.text().contains("c=IN IP4 " + VPN), invite.text());
        assertTrue(invite.header("Contact").contains("@" + VPN + ":" + port), invite.header("Contact"));
        assertTrue(invite.header("From").startsWith("\"Jane\" <sip:1001@sipbridge.lab>"), invite.header("From"));

        Message trying = phone.receive();
        assertEquals(100, trying.status());
        pbx.send(
                TextSipPeer.response(invite, "180 Ringing", "Contact: <sip:2000@127.0.0.2:" + pbx.port() + ">\n"),
                invite.from());
        Message ringing = phone.receive();
        assertEquals(180, ringing.status());
        String pbxContact = "Contact: <sip:2000@127.0.0.2:" + pbx.port() + ">\n";
        pbx.send(
                withBody(
                        TextSipPeer.response(invite, "200 OK", pbxContact).replace("Content-Length: 0\n\n", ""),
                        SDP_PBX),
                invite.from());
        Message ok = phone.receive();
        assertEquals(200, ok.status());
        assertTrue(ok.text().contains("c=IN IP4 " + LAN) && !ok.text().contains("127.0.0.2"), ok.text());
        assertTrue(ok.header("Contact").contains("@" + LAN + ":" + port), ok.header("Contact"));
        assertEquals(ringing.header("To"), ok.header("To"), "one To tag for the whole call");
        assertEquals(
                List.of("ANSWERED"), relay.calls().stream().map(c -> c.state()).toList());

        String dialog = "From: \"Jane\" <sip:1001@sipbridge.lab>;tag=callertag\nTo: " + toWithTag(ok)
                + "\nCall-ID: call-1@" + LAN + "\nMax-Forwards: 70\n";
        String bridgeTarget = uriOf(ok.header("Contact"));
        phone.send(
                "ACK " + bridgeTarget + " SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port()
                        + ";branch=z9hG4bK-a1\n" + dialog + "CSeq: 1 ACK\nContent-Length: 0\n\n",
                bridgeLan);
        Message ack = pbx.receive();
        assertEquals("ACK sip:2000@127.0.0.2:" + pbx.port() + " SIP/2.0", ack.startLine());
        // The phone ACKs a retransmitted 200 again (a new ACK, new branch): the PBX gets no second one
        // (the stack drops a repeated ACK of the same dialog and CSeq).
        phone.send(
                "ACK " + bridgeTarget + " SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port()
                        + ";branch=z9hG4bK-a1b\n" + dialog + "CSeq: 1 ACK\nContent-Length: 0\n\n",
                bridgeLan);
        assertTrue(pbx.silentFor(500), "a repeated ACK was relayed again");

        // Hold: a re-INVITE with a=sendonly goes through and is answered.
        phone.send(
                withBody(
                        "INVITE " + bridgeTarget + " SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port()
                                + ";branch=z9hG4bK-i2\n" + dialog + "CSeq: 2 INVITE\nContact: " + phoneContact() + "\n",
                        SDP_PHONE + "a=sendonly\n"),
                bridgeLan);
        Message reinvite = pbx.receive();
        assertEquals("INVITE sip:2000@127.0.0.2:" + pbx.port() + " SIP/2.0", reinvite.startLine());
        assertTrue(reinvite.text().contains("a=sendonly"));
        pbx.send(
                withBody(
                        TextSipPeer.response(reinvite, "200 OK", pbxContact).replace("Content-Length: 0\n\n", ""),
                        SDP_PBX + "a=recvonly\n"),
                reinvite.from());
        Message held = phone.receive();
        while (held.status() == 100) {
            held = phone.receive();
        }
        assertEquals(200, held.status());
        assertTrue(held.text().contains("a=recvonly"));
        phone.send(
                "ACK " + bridgeTarget + " SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port()
                        + ";branch=z9hG4bK-a2\n" + dialog + "CSeq: 2 ACK\nContent-Length: 0\n\n",
                bridgeLan);
        assertEquals("ACK", pbx.receive().method());

        phone.send(
                "BYE " + bridgeTarget + " SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port()
                        + ";branch=z9hG4bK-b1\n" + dialog + "CSeq: 3 BYE\nContent-Length: 0\n\n",
                bridgeLan);
        Message bye = pbx.receive();
        assertEquals("BYE sip:2000@127.0.0.2:" + pbx.port() + " SIP/2.0", bye.startLine());
        pbx.send(TextSipPeer.response(bye, "200 OK", ""), bye.from());
        assertEquals(200, phone.receive().status());
        assertEquals(1, media.released.get());
        assertEquals(
                List.of("ENDED"), relay.calls().stream().map(c -> c.state()).toList());
    }

    @Test
    void anotherLanDeviceCannotCallAsTheRegisteredUser() throws Exception {
        // Same address, another UDP port: another device under the UDP rule (a second LAN host in the lab test).
        try (TextSipPeer intruder = new TextSipPeer(LAN)) {
            intruder.send(phoneInvite("z9hG4bK-x1").replace(":" + phone.port(), ":" + intruder.port()), bridgeLan);
            Message asRegistered = finalAnswer(intruder);
            intruder.send(
                    phoneInvite("z9hG4bK-x2")
                            .replace(":" + phone.port(), ":" + intruder.port())
                            .replace("sip:1001@sipbridge.lab>;tag", "sip:1099@sipbridge.lab>;tag"),
                    bridgeLan);
            Message asStranger = finalAnswer(intruder);
            assertEquals("SIP/2.0 403 Forbidden", asRegistered.startLine());
            assertEquals(
                    asRegistered.startLine(), asStranger.startLine(), "the answer must not tell who is registered");
            assertTrue(pbx.silentFor(700), "a spoofed INVITE reached the PBX");
            assertEquals(List.of(), relay.calls());
        }
    }

    @Test
    void theRegisteredDeviceCannotClaimAnotherIdentity() throws Exception {
        phone.send(
                phoneInvite("z9hG4bK-pi1")
                        .replace(
                                "Max-Forwards: 70\n",
                                "Max-Forwards: 70\nP-Asserted-Identity: <sip:9000@sipbridge.lab>\n"),
                bridgeLan);
        assertEquals(403, finalAnswer(phone).status());
        assertTrue(pbx.silentFor(500), "an INVITE with another identity reached the PBX");
    }

    @Test
    void headersNamingLanAddressesDoNotReachThePbx() throws Exception {
        phone.send(
                phoneInvite("z9hG4bK-h1")
                        .replace(
                                "Max-Forwards: 70\n",
                                "Max-Forwards: 70\n"
                                        + "Call-Info: <http://" + LAN + "/photo.jpg>;purpose=icon\n"
                                        + "P-Preferred-Identity: <sip:1001@" + LAN + ">\n"
                                        + "X-Room: kitchen\n"),
                bridgeLan);
        Message invite = pbx.receive();
        assertFalse(invite.text().contains(LAN), "LAN address leaked to the PBX:\n" + invite.text());
        assertEquals("kitchen", invite.header("X-Room"), "other headers pass through");
    }

    @Test
    void mediaGoingWhereItMustNotIsRefusedWith488() throws Exception {
        media.refuseSdpContaining = "m=audio 40000";
        phone.send(phoneInvite("z9hG4bK-r488"), bridgeLan);
        Message answer = finalAnswer(phone);
        assertEquals(488, answer.status());
        assertTrue(pbx.silentFor(500), "the refused offer reached the PBX");
        assertEquals(1, media.released.get(), "the call's ports are freed");
    }

    @Test
    void anUnexpectedFailureWhileSettingUpACallFreesItsMedia() throws Exception {
        // Fuzzing found calls left CALLING with their ports when the stack threw after the media was allocated.
        media.crash = new IllegalStateException("Sequence number should not decrease");
        phone.send(phoneInvite("z9hG4bK-u1"), bridgeLan);
        assertEquals(500, finalAnswer(phone).status());
        assertEquals(1, media.released.get(), "the call's ports are freed");
        assertEquals(
                List.of("ENDED"), relay.calls().stream().map(c -> c.state()).toList());
    }

    @Test
    void aCallWhoseMediaTimesOutEndsOnBothLegs() throws Exception {
        phone.send(phoneInvite("z9hG4bK-t1"), bridgeLan);
        Message invite = pbx.receive();
        assertEquals(100, phone.receive().status());
        pbx.send(
                withBody(
                        TextSipPeer.response(invite, "200 OK", "Contact: <sip:2000@127.0.0.2:" + pbx.port() + ">\n")
                                .replace("Content-Length: 0\n\n", ""),
                        SDP_PBX),
                invite.from());
        Message ok = phone.receive();
        assertEquals(200, ok.status());
        phone.send(
                "ACK " + uriOf(ok.header("Contact")) + " SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port()
                        + ";branch=z9hG4bK-ta\nFrom: \"Jane\" <sip:1001@sipbridge.lab>;tag=callertag\nTo: "
                        + ok.header("To")
                        + "\nCall-ID: call-1@" + LAN + "\nCSeq: 1 ACK\nMax-Forwards: 70\nContent-Length: 0\n\n",
                bridgeLan);
        assertEquals("ACK", pbx.receive().method());

        media.timeoutActions.get(0).accept("no media for 30 s");
        Message pbxBye = pbx.receive();
        Message phoneBye = phone.receive();
        assertEquals("BYE", pbxBye.method());
        assertEquals("BYE", phoneBye.method());
        assertEquals(
                List.of("ENDED"), relay.calls().stream().map(c -> c.state()).toList());
        assertEquals(1, media.released.get());
    }

    @Test
    void aDeviceCannotHoardCalls() throws Exception {
        for (int i = 0; i < 9; i++) {
            phone.send(phoneInvite("z9hG4bK-c" + i).replace("call-1@", "call-" + i + "x@"), bridgeLan);
        }
        java.util.Set<String> relayed = new java.util.HashSet<>();
        while (relayed.size() < 8) {
            Message invite = pbx.receive();
            if ("INVITE".equals(invite.method()) && relayed.add(invite.header("Call-ID"))) {
                pbx.send(TextSipPeer.response(invite, "180 Ringing", ""), invite.from()); // stops retransmissions
            }
        }
        Message refused = finalAnswer(phone);
        assertEquals("SIP/2.0 503 Too many calls from this device", refused.startLine());
        assertFalse(relayed.contains(refused.header("Call-ID")), "the refused call is not one the PBX got");
        assertTrue(pbx.silentFor(700), "the ninth INVITE reached the PBX");
    }

    /** The next final answer {@code peer} gets (provisional ones skipped). */
    private static Message finalAnswer(TextSipPeer peer) throws Exception {
        Message answer = peer.receive();
        while (answer.status() < 200) {
            answer = peer.receive();
        }
        return answer;
    }

    @Test
    void emptySupportedHeadersDoNotBreakACall() throws Exception {
        // RFC 3261 §20.37 allows an empty option list; a NullPointerException on it broke every call (issue #15).
        phone.send(
                phoneInvite("z9hG4bK-es1").replace("Max-Forwards: 70\n", "Max-Forwards: 70\nSupported: \n"), bridgeLan);
        Message invite = pbx.receive();
        assertEquals(100, phone.receive().status());
        pbx.send(
                TextSipPeer.response(
                        invite, "180 Ringing", "Supported: \nContact: <sip:2000@127.0.0.2:" + pbx.port() + ">\n"),
                invite.from());
        assertEquals(180, phone.receive().status());
        pbx.send(
                withBody(
                        TextSipPeer.response(
                                        invite,
                                        "200 OK",
                                        "Supported: \nContact: <sip:2000@127.0.0.2:" + pbx.port() + ">\n")
                                .replace("Content-Length: 0\n\n", ""),
                        SDP_PBX),
                invite.from());
        assertEquals(200, finalAnswer(phone).status());
        assertEquals(
                List.of("ANSWERED"), relay.calls().stream().map(c -> c.state()).toList());
    }

    @Test
    void aRingingTheAnswerFollowsAtOnceReachesThePhoneFirst() throws Exception {
        // The PDD benchmark (#15): with the PBX's 200 1-15 ms after its 180, the phone sometimes got only the 200
        // (two stack threads parsed the two datagrams and the 200 overtook the 180). Sent back to back on
        // loopback, the 5th of these calls lost its 180 before the fix.
        String pbxContact = "Contact: <sip:2000@127.0.0.2:" + pbx.port() + ">\n";
        for (int i = 0; i < 40; i++) {
            String callId = "race-" + i + "@" + LAN;
            phone.send(phoneInvite("z9hG4bK-rc" + i).replace("call-1@" + LAN, callId), bridgeLan);
            Message invite = pbx.receive();
            pbx.send(
                    withBody(
                            TextSipPeer.response(invite, "180 Ringing", pbxContact)
                                    .replace("Content-Length: 0\n\n", ""),
                            SDP_PBX),
                    invite.from());
            pbx.send(
                    withBody(
                            TextSipPeer.response(invite, "200 OK", pbxContact).replace("Content-Length: 0\n\n", ""),
                            SDP_PBX),
                    invite.from());
            List<Integer> statuses = new java.util.ArrayList<>();
            Message answer = phone.receive();
            while (answer.status() < 200) {
                statuses.add(answer.status());
                answer = phone.receive();
            }
            statuses.add(answer.status());
            assertEquals(List.of(100, 180, 200), statuses, "call " + i + ": the phone's answers in order");
            hangUp(answer, callId);
        }
    }

    /** The phone ACKs the answered call {@code callId} and hangs up; the PBX confirms the BYE. */
    private void hangUp(Message ok, String callId) throws Exception {
        hangUp(ok, callId, 1, null);
    }

    /**
     * As {@link #hangUp(Message, String)} for the phone's INVITE with CSeq {@code inviteCseq}; the PBX's ACK and BYE
     * carry {@code pbxCallId} unless it is null.
     */
    private void hangUp(Message ok, String callId, long inviteCseq, String pbxCallId) throws Exception {
        String dialog = "From: \"Jane\" <sip:1001@sipbridge.lab>;tag=callertag\nTo: " + ok.header("To") + "\nCall-ID: "
                + callId + "\nMax-Forwards: 70\n";
        String target = uriOf(ok.header("Contact"));
        phone.send(
                "ACK " + target + " SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port() + ";branch=z9hG4bK-ha"
                        + callId.hashCode() + "\n" + dialog + "CSeq: " + inviteCseq + " ACK\nContent-Length: 0\n\n",
                bridgeLan);
        Message ack = pbx.receive();
        assertEquals("ACK", ack.method());
        phone.send(
                "BYE " + target + " SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port() + ";branch=z9hG4bK-hb"
                        + callId.hashCode() + "\n" + dialog + "CSeq: " + (inviteCseq + 1)
                        + " BYE\nContent-Length: 0\n\n",
                bridgeLan);
        Message bye = pbx.receive();
        assertEquals("BYE", bye.method());
        if (pbxCallId != null) {
            assertEquals(List.of(pbxCallId, pbxCallId), List.of(ack.header("Call-ID"), bye.header("Call-ID")));
        }
        pbx.send(TextSipPeer.response(bye, "200 OK", ""), bye.from());
        assertEquals(200, phone.receive().status());
    }

    /** The INVITE the PBX challenged in {@link #challengedCall}. */
    private Message challengedInvite;

    /** The phone calls and the PBX answers 407: the challenge as the phone got it. */
    private Message challengedCall(String branch) throws Exception {
        phone.send(phoneInvite(branch), bridgeLan);
        Message invite = pbx.receive();
        challengedInvite = invite;
        pbx.send(
                TextSipPeer.response(
                        invite,
                        "407 Proxy Authentication Required",
                        "Proxy-Authenticate: Digest realm=\"sipbridge.lab\", nonce=\"n1\"\n"),
                invite.from());
        Message challenge = finalAnswer(phone);
        assertEquals(407, challenge.status());
        return challenge;
    }

    @Test
    void aCallThePbxChallengesIsOneSessionRow() throws Exception {
        // Issue #15: the 407 attempt and the authenticated retry (same Call-ID) showed as two rows.
        Message challenge = challengedCall("z9hG4bK-ch1");
        assertEquals("ACK", pbx.receive().method());
        phone.send(
                "ACK sip:2000@sipbridge.lab SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port()
                        + ";branch=z9hG4bK-ch1\n"
                        + "From: \"Jane\" <sip:1001@sipbridge.lab>;tag=callertag\nTo: " + challenge.header("To")
                        + "\nCall-ID: call-1@"
                        + LAN + "\nCSeq: 1 ACK\nMax-Forwards: 70\nContent-Length: 0\n\n",
                bridgeLan);

        phone.send(
                phoneInvite("z9hG4bK-ch2")
                        .replace("CSeq: 1 INVITE", "CSeq: 2 INVITE")
                        .replace(
                                "Max-Forwards: 70\n",
                                "Max-Forwards: 70\nProxy-Authorization: Digest username=\"1001\", realm=\"sipbridge.lab\", nonce=\"n1\", "
                                        + "uri=\"sip:2000@sipbridge.lab\", response=\"00000000000000000000000000000000\"\n"),
                bridgeLan);
        Message retried = pbx.receive();
        assertEquals("INVITE", retried.method());
        assertTrue(retried.header("Proxy-Authorization").contains("nonce=\"n1\""), retried.text());
        // RFC 3261 §22.2, §8.1.3.5: the retry is the same call to the PBX (it showed two Call-IDs per call).
        assertEquals(challengedInvite.header("Call-ID"), retried.header("Call-ID"), "the retry keeps the Call-ID");
        assertEquals(challengedInvite.header("From"), retried.header("From"), "the retry keeps the From tag");
        assertEquals(challengedInvite.header("To"), retried.header("To"));
        assertEquals(cseq(challengedInvite) + 1, cseq(retried), "the retry's CSeq is the next one");
        pbx.send(
                withBody(
                        TextSipPeer.response(retried, "200 OK", "Contact: <sip:2000@127.0.0.2:" + pbx.port() + ">\n")
                                .replace("Content-Length: 0\n\n", ""),
                        SDP_PBX),
                retried.from());
        Message ok = finalAnswer(phone);
        assertEquals(200, ok.status());

        List<org.sipbridge.contract.status.CallStatus> rows = relay.calls();
        assertEquals(List.of("ANSWERED"), rows.stream().map(c -> c.state()).toList(), "one call, one row: " + rows);
        List<String> steps =
                rows.get(0).timeline().stream().map(e -> e.message()).toList();
        assertTrue(
                steps.contains("407 Proxy Authentication Required") && steps.contains("200 OK (SDP)"),
                "the row tells the whole call: " + steps);
        assertEquals(1, media.allocated.size(), "the retry keeps the call's media");
        assertEquals("fake1", rows.get(0).mediaId(), "the row names its media session, for an exact join");
        // The dialog the retry made works both ways on the PBX leg.
        hangUp(ok, "call-1@" + LAN, 2, retried.header("Call-ID"));
    }

    @Test
    void aChallengeTheBridgeAnswersForAStationIsRetriedAsTheSameCall() throws Exception {
        stop();
        start(List.of(new Station("Desk", "1001", "pass1001")));
        phone.send(phoneInvite("z9hG4bK-st1"), bridgeLan);
        Message invite = pbx.receive();
        pbx.send(
                TextSipPeer.response(
                        invite,
                        "407 Proxy Authentication Required",
                        "Proxy-Authenticate: Digest realm=\"sipbridge.lab\", nonce=\"n2\"\n"),
                invite.from());
        assertEquals("ACK", pbx.receive().method());
        Message retried = pbx.receive();
        assertEquals("INVITE", retried.method());
        assertTrue(retried.header("Proxy-Authorization").contains("username=\"1001\""), retried.text());
        // RFC 3261 §22.2, §8.1.3.5: same Call-ID, From tag and To, the next CSeq.
        assertEquals(
                List.of(invite.header("Call-ID"), invite.header("From"), invite.header("To"), cseq(invite) + 1),
                List.of(retried.header("Call-ID"), retried.header("From"), retried.header("To"), cseq(retried)));
        pbx.send(
                withBody(
                        TextSipPeer.response(retried, "200 OK", "Contact: <sip:2000@127.0.0.2:" + pbx.port() + ">\n")
                                .replace("Content-Length: 0\n\n", ""),
                        SDP_PBX),
                retried.from());
        Message ok = finalAnswer(phone);
        assertEquals(200, ok.status());
        assertEquals(1, relay.calls().size(), "one call, one row: " + relay.calls());
        hangUp(ok, "call-1@" + LAN, 1, invite.header("Call-ID"));
    }

    @Test
    void aChallengedCallThePhoneGivesUpOnEndsOnce() throws Exception {
        challengedCall("z9hG4bK-gu1");
        // The phone never retries (no password): after the retry window the call is one ended row without ports.
        long deadline = System.currentTimeMillis() + 10_000;
        while (media.released.get() == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(1, media.released.get(), "the challenged call's media is freed when nobody retries");
        assertEquals(
                List.of("ENDED"), relay.calls().stream().map(c -> c.state()).toList());
    }

    @Test
    void aForkedInviteThatReachesTheBridgeTwiceIsMergedWith482() throws Exception {
        // RFC 3261 §8.2.2.2: same Call-ID, From tag and CSeq on another branch is a merged request. The PBX
        // forks to two bindings of the phone (here a second line), so each copy has its own Request-URI.
        phone.send(
                "REGISTER sip:sipbridge.lab SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port()
                        + ";branch=z9hG4bK-r2\n"
                        + "From: <sip:1001@sipbridge.lab>;tag=r2\nTo: <sip:1001@sipbridge.lab>\nCall-ID: reg2@phone\nCSeq: 1 REGISTER\n"
                        + "Contact: <sip:1001@" + LAN + ":" + phone.port()
                        + ";line=2>\nExpires: 300\nMax-Forwards: 70\n"
                        + "Content-Length: 0\n\n",
                bridgeLan);
        Message register = pbx.receive();
        pbx.send(
                TextSipPeer.response(
                        register,
                        "200 OK",
                        "Contact: " + registeredContact + ";expires=300\nContact: " + register.header("Contact")
                                + ";expires=300\n"),
                register.from());
        assertEquals(200, phone.receive().status());
        String invite = withBody(
                "INVITE %s SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.2:" + pbx.port() + ";branch=%s\n"
                        + "From: \"Boss\" <sip:2000@sipbridge.lab>;tag=pbxtag\nTo: <sip:1001@sipbridge.lab>\nCall-ID: fork-1@pbx\n"
                        + "CSeq: 10 INVITE\nContact: <sip:2000@127.0.0.2:" + pbx.port() + ">\nMax-Forwards: 70\n",
                SDP_PBX);
        pbx.send(String.format(invite, uriOf(registeredContact), "z9hG4bK-fork1"), new InetSocketAddress(VPN, port));
        Message atPhone = phone.receive();
        assertEquals("INVITE", atPhone.method());
        phone.send(TextSipPeer.response(atPhone, "180 Ringing", "Contact: " + phoneContact() + "\n"), atPhone.from());
        assertEquals(100, pbx.receive().status());
        assertEquals(180, pbx.receive().status());
        pbx.send(
                String.format(invite, uriOf(register.header("Contact")), "z9hG4bK-fork2"),
                new InetSocketAddress(VPN, port));
        Message merged = finalAnswer(pbx);
        assertEquals(482, merged.status());
        assertTrue(merged.header("Via").contains("z9hG4bK-fork2"), merged.text());
        assertTrue(phone.silentFor(700), "the forked copy reached the phone");
        assertEquals(
                List.of("RINGING"), relay.calls().stream().map(c -> c.state()).toList());
        assertEquals(1, media.allocated.size(), "no media for the merged copy");
    }

    @Test
    void aForkedInviteToTwoPhonesRingsBoth() throws Exception {
        // The PBX forks to two bindings of 1001 held by two phones (a desk phone and a softphone): the
        // same Call-ID, From tag and CSeq on two branches, but two UASs, so no merged request (RFC 3261
        // §8.2.2.2 is about one UAS getting a request twice). Issue #15: the second phone got 482.
        try (TextSipPeer softphone = new TextSipPeer(LAN)) {
            softphone.send(
                    "REGISTER sip:sipbridge.lab SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + softphone.port()
                            + ";branch=z9hG4bK-r3\nFrom: <sip:1001@sipbridge.lab>;tag=r3\nTo: <sip:1001@sipbridge.lab>\n"
                            + "Call-ID: reg3@soft\nCSeq: 1 REGISTER\nContact: <sip:1001@" + LAN + ":" + softphone.port()
                            + ">\n"
                            + "Expires: 300\nMax-Forwards: 70\nContent-Length: 0\n\n",
                    bridgeLan);
            Message register = pbx.receive();
            pbx.send(
                    TextSipPeer.response(
                            register,
                            "200 OK",
                            "Contact: " + registeredContact + ";expires=300\nContact: " + register.header("Contact")
                                    + ";expires=300\n"),
                    register.from());
            assertEquals(200, softphone.receive().status());
            String invite = withBody(
                    "INVITE %s SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.2:" + pbx.port() + ";branch=%s\n"
                            + "From: \"Boss\" <sip:2000@sipbridge.lab>;tag=pbxtag\nTo: <sip:1001@sipbridge.lab>\nCall-ID: fork-2@pbx\n"
                            + "CSeq: 10 INVITE\nContact: <sip:2000@127.0.0.2:" + pbx.port() + ">\nMax-Forwards: 70\n",
                    SDP_PBX);
            pbx.send(
                    String.format(invite, uriOf(registeredContact), "z9hG4bK-forkA"), new InetSocketAddress(VPN, port));
            assertEquals("INVITE", phone.receive().method());
            pbx.send(
                    String.format(invite, uriOf(register.header("Contact")), "z9hG4bK-forkB"),
                    new InetSocketAddress(VPN, port));
            assertEquals("INVITE", softphone.receive().method(), "the second phone's branch");
            assertEquals(2, relay.calls().size(), "one call per branch: " + relay.calls());
        }
    }

    /** An outgoing call answered and ACKed: what the phone needs to send requests in its dialog. */
    private record Answered(String dialog, String bridgeTarget, Message pbxInvite) {}

    private Answered answeredCall(String branch) throws Exception {
        phone.send(phoneInvite(branch), bridgeLan);
        Message invite = pbx.receive();
        assertEquals(100, phone.receive().status());
        pbx.send(
                withBody(
                        TextSipPeer.response(invite, "200 OK", "Contact: <sip:2000@127.0.0.2:" + pbx.port() + ">\n")
                                .replace("Content-Length: 0\n\n", ""),
                        SDP_PBX),
                invite.from());
        Message ok = finalAnswer(phone);
        assertEquals(200, ok.status());
        String dialog = "From: \"Jane\" <sip:1001@sipbridge.lab>;tag=callertag\nTo: " + ok.header("To")
                + "\nCall-ID: call-1@" + LAN + "\nMax-Forwards: 70\n";
        String bridgeTarget = uriOf(ok.header("Contact"));
        phone.send(
                "ACK " + bridgeTarget + " SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port() + ";branch=" + branch
                        + "a\n" + dialog + "CSeq: 1 ACK\nContent-Length: 0\n\n",
                bridgeLan);
        assertEquals("ACK", pbx.receive().method());
        return new Answered(dialog, bridgeTarget, invite);
    }

    private static final String MOVED = "127.0.0.5";

    /**
     * The VPN came back with another address (issue 17): the bridge re-INVITEs the PBX leg in its dialog
     * (same Call-ID and tags, next CSeq) from the new address, with it in Via, Contact and SDP (c= and an
     * o= with the next version), ACKs the 200 and gives its SDP to the media; the phone hears nothing of it,
     * and later requests of the call leave from the new address too.
     */
    @Test
    void aNewVpnAddressReInvitesThePbxLegFromItAndLeavesThePhoneAlone() throws Exception {
        Answered call = answeredCall("z9hG4bK-va1");
        Message reinvite = vpnMovesUnder();
        Message first = call.pbxInvite();
        assertEquals(new InetSocketAddress(MOVED, port), reinvite.from(), "sent from the new address");
        assertEquals("INVITE sip:2000@127.0.0.2:" + pbx.port() + " SIP/2.0", reinvite.startLine());
        assertEquals(first.header("Call-ID"), reinvite.header("Call-ID"));
        assertEquals(first.header("From"), reinvite.header("From"));
        assertTrue(reinvite.header("To").contains(";tag="), reinvite.header("To"));
        assertEquals((cseq(first) + 1) + " INVITE", reinvite.header("CSeq"));
        assertTrue(
                reinvite.header("Via").startsWith("SIP/2.0/UDP " + MOVED + ":" + port + ";"), reinvite.header("Via"));
        assertEquals("<sip:1001@" + MOVED + ":" + port + ">", reinvite.header("Contact"));
        assertTrue(
                reinvite.text()
                        .endsWith(
                                "\r\n\r\nv=0\r\no=phone 1 2 IN IP4 " + MOVED + "\r\ns=-\r\nc=IN IP4 " + MOVED
                                        + "\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"),
                reinvite.text());
        assertEquals("application/sdp", reinvite.header("Content-Type"));
        assertFalse(
                reinvite.text().replace(reinvite.header("Call-ID"), "").contains(VPN),
                "the old address is gone but for the dialog's Call-ID:\n" + reinvite.text());

        pbx.send(
                withBody(
                        TextSipPeer.response(reinvite, "200 OK", "Contact: <sip:2000@127.0.0.2:" + pbx.port() + ">\n")
                                .replace("Content-Length: 0\n\n", ""),
                        SDP_PBX),
                reinvite.from());
        Message ack = pbx.receive();
        assertEquals("ACK", ack.method());
        assertEquals((cseq(first) + 1) + " ACK", ack.header("CSeq"));
        assertEquals(List.of(SDP_PBX.replace("\n", "\r\n")), media.reofferAnswers);
        // Nothing new reaches the phone; a retransmission of the call's own 200 (jain-sip retransmits it
        // until it has processed the ACK, which a loaded machine may delay) is not a change of its leg.
        List<TextSipPeer.Message> toPhone = phone.receivedWithin(500);
        assertTrue(
                toPhone.stream().allMatch(m -> m.status() == 200 && "1 INVITE".equals(m.header("CSeq"))),
                "the phone's leg must not change: "
                        + toPhone.stream().map(TextSipPeer.Message::text).toList());
        assertEquals(
                List.of("ANSWERED"), relay.calls().stream().map(c -> c.state()).toList());

        phone.send(
                "BYE " + call.bridgeTarget() + " SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port()
                        + ";branch=z9hG4bK-va2\n" + call.dialog() + "CSeq: 2 BYE\nContent-Length: 0\n\n",
                bridgeLan);
        Message bye = pbx.receive();
        assertEquals("BYE", bye.method());
        assertEquals(new InetSocketAddress(MOVED, port), bye.from());
        assertEquals((cseq(first) + 2) + " BYE", bye.header("CSeq"));
        pbx.send(TextSipPeer.response(bye, "200 OK", ""), bye.from());
        assertEquals(200, finalAnswer(phone).status());
    }

    /**
     * RFC 3261 §14.1: a 491 to the bridge's re-INVITE (glare) is tried again after a wait, with a higher CSeq;
     * a refusal of the retry keeps the call (the user is talking) instead of ending it.
     */
    @Test
    void aReInviteThePbxAnswers491IsTriedAgainAndARefusalKeepsTheCall() throws Exception {
        Answered call = answeredCall("z9hG4bK-vg1");
        Message reinvite = vpnMovesUnder();
        pbx.send(TextSipPeer.response(reinvite, "491 Request Pending", ""), reinvite.from());
        Message retried = nextInvite();
        assertEquals(cseq(reinvite) + 1, cseq(retried), "a new transaction in the same dialog");
        assertEquals(reinvite.header("Call-ID"), retried.header("Call-ID"));
        pbx.send(TextSipPeer.response(retried, "500 Server Internal Error", ""), retried.from());
        assertTrue(phone.silentFor(1000), "the phone's leg must not change");
        assertEquals(
                List.of("ANSWERED"), relay.calls().stream().map(c -> c.state()).toList());
        assertEquals(0, media.released.get(), "the call keeps its media");
        phone.send(
                "BYE " + call.bridgeTarget() + " SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port()
                        + ";branch=z9hG4bK-vg2\n" + call.dialog() + "CSeq: 2 BYE\nContent-Length: 0\n\n",
                bridgeLan);
        Message bye = nextRequest("BYE");
        pbx.send(TextSipPeer.response(bye, "200 OK", ""), bye.from());
        assertEquals(200, finalAnswer(phone).status());
    }

    /** The VPN side (media and SIP) moves to {@link #MOVED} under the answered call; the PBX's re-INVITE. */
    private Message vpnMovesUnder() throws Exception {
        media.moveVpnTo(MOVED);
        relay.moveVpnTo(Loopback.adapter("tun0", MOVED));
        return nextInvite();
    }

    private Message nextInvite() throws Exception {
        return nextRequest("INVITE");
    }

    /**
     * The PBX's next {@code method} request, answering the renewed REGISTER from the new address 200 and
     * skipping ACKs of the bridge's earlier transactions and retransmissions.
     */
    private Message nextRequest(String method) throws Exception {
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (true) {
            Message m = pbx.receive();
            if ("REGISTER".equals(m.method())) {
                pbx.send(TextSipPeer.response(m, "200 OK", ""), m.from());
            } else if (method.equals(m.method()) && seen.add(m.header("CSeq"))) {
                return m;
            }
        }
    }

    private static long cseq(Message m) {
        return Long.parseLong(m.header("CSeq").split(" ")[0]);
    }

    /** Receives until {@code peer} got each of {@code wanted} (methods or status codes), answering BYEs 200. */
    private static List<String> receiveAll(TextSipPeer peer, String... wanted) throws Exception {
        List<String> missing = new java.util.ArrayList<>(List.of(wanted));
        List<String> got = new java.util.ArrayList<>();
        while (!missing.isEmpty()) {
            Message m = peer.receive();
            String what = m.status() > 0 ? String.valueOf(m.status()) : m.method();
            got.add(what);
            missing.remove(what);
            if ("BYE".equals(what)) {
                peer.send(TextSipPeer.response(m, "200 OK", ""), m.from());
            }
        }
        return got;
    }

    private void assertEndedAndFreed() throws Exception {
        long deadline = System.currentTimeMillis() + 5_000;
        while (!"ENDED".equals(relay.calls().get(0).state()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(
                List.of("ENDED"), relay.calls().stream().map(c -> c.state()).toList());
        assertEquals(1, media.released.get(), "the call's ports are freed");
    }

    @Test
    void anAnswerTheBridgeCannotRelayEndsBothLegs() throws Exception {
        // Issue #15: the phone got a 500 while the PBX's 200 was never ACKed and the call stayed ANSWERED.
        phone.send(phoneInvite("z9hG4bK-fa1"), bridgeLan);
        Message invite = pbx.receive();
        assertEquals(100, phone.receive().status());
        media.crash = new IllegalStateException("the answer's SDP cannot be rewritten");
        pbx.send(
                withBody(
                        TextSipPeer.response(invite, "200 OK", "Contact: <sip:2000@127.0.0.2:" + pbx.port() + ">\n")
                                .replace("Content-Length: 0\n\n", ""),
                        SDP_PBX),
                invite.from());
        assertEquals(500, finalAnswer(phone).status());
        assertEquals(List.of("ACK", "BYE"), receiveAll(pbx, "ACK", "BYE"), "the PBX's leg is confirmed, then ended");
        assertEndedAndFreed();
    }

    @Test
    void anAckTheBridgeCannotRelayEndsBothLegs() throws Exception {
        // Late offer: the PBX offers in its 200 and the phone answers in its ACK, which the bridge cannot rewrite.
        phone.send(
                phoneInvite("z9hG4bK-lo1")
                        .replaceAll(
                                "Content-Type: application/sdp\nContent-Length: \\d+\n\n[\\s\\S]*",
                                "Content-Length: 0\n\n"),
                bridgeLan);
        Message invite = pbx.receive();
        assertEquals(100, phone.receive().status());
        pbx.send(
                withBody(
                        TextSipPeer.response(invite, "200 OK", "Contact: <sip:2000@127.0.0.2:" + pbx.port() + ">\n")
                                .replace("Content-Length: 0\n\n", ""),
                        SDP_PBX),
                invite.from());
        Message ok = finalAnswer(phone);
        assertEquals(200, ok.status());
        media.crash = new IllegalStateException("the ACK's SDP cannot be rewritten");
        phone.send(
                withBody(
                        "ACK " + uriOf(ok.header("Contact")) + " SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port()
                                + ";branch=z9hG4bK-lo1a\nFrom: \"Jane\" <sip:1001@sipbridge.lab>;tag=callertag\nTo: "
                                + ok.header("To")
                                + "\nCall-ID: call-1@" + LAN + "\nCSeq: 1 ACK\nMax-Forwards: 70\n",
                        SDP_PHONE),
                bridgeLan);
        assertEquals(List.of("ACK", "BYE"), receiveAll(pbx, "ACK", "BYE"));
        assertTrue(receiveAll(phone, "BYE").contains("BYE"));
        assertEndedAndFreed();
    }

    @Test
    void aReInviteTheBridgeCannotRelayEndsTheCallOnBothLegs() throws Exception {
        Answered call = answeredCall("z9hG4bK-ri1");
        media.crash = new IllegalStateException("the re-offer cannot be rewritten");
        phone.send(
                withBody(
                        "INVITE " + call.bridgeTarget() + " SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port()
                                + ";branch=z9hG4bK-ri2\n" + call.dialog() + "CSeq: 2 INVITE\nContact: " + phoneContact()
                                + "\n",
                        SDP_PHONE + "a=sendonly\n"),
                bridgeLan);
        List<String> atPhone = receiveAll(phone, "500", "BYE");
        assertTrue(atPhone.containsAll(List.of("500", "BYE")), atPhone.toString());
        assertEquals(List.of("BYE"), receiveAll(pbx, "BYE"));
        assertEndedAndFreed();
    }

    @Test
    void aFailoverTheBridgeCannotBuildEndsTheCall() throws Exception {
        // The first server never answers; building the INVITE for the next one fails on the timer thread.
        phone.send(phoneInvite("z9hG4bK-fo1"), bridgeLan);
        assertEquals("INVITE", pbx.receive().method());
        media.crash = new IllegalStateException("the offer cannot be rewritten again");
        // The backup answers its OPTIONS probes meanwhile (so it is a server to fail over to) and gets no INVITE.
        assertTrue(backup.silentFor(5000), "an INVITE reached the backup");
        assertEquals(500, finalAnswer(phone).status());
        assertEndedAndFreed();
    }

    @Test
    void aReInviteThePbxNeverAnswersEndsTheCallOnBothLegs() throws Exception {
        // RFC 3261 §12.2.1.2: a request in a dialog that times out ends the dialog.
        Answered call = answeredCall("z9hG4bK-rt1");
        phone.send(
                withBody(
                        "INVITE " + call.bridgeTarget() + " SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port()
                                + ";branch=z9hG4bK-rt2\n" + call.dialog() + "CSeq: 2 INVITE\nContact: " + phoneContact()
                                + "\n",
                        SDP_PHONE + "a=sendonly\n"),
                bridgeLan);
        assertTrue(receiveAll(pbx, "BYE").contains("INVITE"), "the re-INVITE went out");
        List<String> atPhone = receiveAll(phone, "408", "BYE");
        assertTrue(atPhone.containsAll(List.of("408", "BYE")), atPhone.toString());
        assertEndedAndFreed();
    }

    @Test
    void aRequestThePbxNoLongerKnowsTheDialogOfEndsTheCall() throws Exception {
        // RFC 3261 §12.2.1.2: 481 to a request in a dialog means the dialog is gone.
        Answered call = answeredCall("z9hG4bK-nd1");
        phone.send(
                "INFO " + call.bridgeTarget() + " SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port()
                        + ";branch=z9hG4bK-nd2\n" + call.dialog() + "CSeq: 2 INFO\nContent-Length: 0\n\n",
                bridgeLan);
        Message info = pbx.receive();
        assertEquals("INFO", info.method());
        pbx.send(TextSipPeer.response(info, "481 Call/Transaction Does Not Exist", ""), info.from());
        List<String> atPhone = receiveAll(phone, "481", "BYE");
        assertTrue(atPhone.containsAll(List.of("481", "BYE")), atPhone.toString());
        assertEndedAndFreed();
    }

    @Test
    void thePbxCallsThePhoneAndHangsUp() throws Exception {
        String target = uriOf(registeredContact);
        pbx.send(
                withBody(
                        "INVITE " + target + " SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.2:" + pbx.port()
                                + ";branch=z9hG4bK-p1\n"
                                + "From: \"Boss\" <sip:2000@sipbridge.lab>;tag=pbxtag\nTo: <sip:1001@sipbridge.lab>\nCall-ID: in-1@pbx\n"
                                + "CSeq: 10 INVITE\nContact: <sip:2000@127.0.0.2:" + pbx.port()
                                + ">\nMax-Forwards: 70\n",
                        SDP_PBX),
                new InetSocketAddress(VPN, port));
        Message invite = phone.receive();
        assertEquals("INVITE sip:1001@" + LAN + ":" + phone.port() + " SIP/2.0", invite.startLine());
        assertTrue(invite.text().contains("c=IN IP4 " + LAN) && !invite.text().contains("127.0.0.2"), invite.text());
        assertEquals(100, pbx.receive().status());
        phone.send(
                withBody(
                        TextSipPeer.response(invite, "200 OK", "Contact: " + phoneContact() + "\n")
                                .replace("Content-Length: 0\n\n", ""),
                        SDP_PHONE),
                invite.from());
        Message ok = pbx.receive();
        assertEquals(200, ok.status());
        assertFalse(ok.text().contains(LAN), ok.text());
        String bridgeTarget = uriOf(ok.header("Contact"));
        String dialog = "From: \"Boss\" <sip:2000@sipbridge.lab>;tag=pbxtag\nTo: " + ok.header("To")
                + "\nCall-ID: in-1@pbx\nMax-Forwards: 70\n";
        pbx.send(
                "ACK " + bridgeTarget + " SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.2:" + pbx.port() + ";branch=z9hG4bK-p2\n"
                        + dialog + "CSeq: 10 ACK\nContent-Length: 0\n\n",
                new InetSocketAddress(VPN, port));
        assertEquals("ACK", phone.receive().method());
        pbx.send(
                "BYE " + bridgeTarget + " SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.2:" + pbx.port() + ";branch=z9hG4bK-p3\n"
                        + dialog + "CSeq: 11 BYE\nContent-Length: 0\n\n",
                new InetSocketAddress(VPN, port));
        Message bye = phone.receive();
        assertEquals("BYE", bye.method());
        phone.send(TextSipPeer.response(bye, "200 OK", ""), bye.from());
        assertEquals(200, pbx.receive().status());
        assertEquals(1, media.released.get());
    }

    @Test
    void aReInviteOfferThePhoneRefusesIsUndoneAndAnAcceptedOneIsNot() throws Exception {
        String target = uriOf(registeredContact);
        InetSocketAddress bridgeVpn = new InetSocketAddress(VPN, port);
        pbx.send(
                withBody(
                        "INVITE " + target + " SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.2:" + pbx.port()
                                + ";branch=z9hG4bK-m1\n"
                                + "From: <sip:2000@sipbridge.lab>;tag=pbxtag\nTo: <sip:1001@sipbridge.lab>\nCall-ID: move@pbx\n"
                                + "CSeq: 10 INVITE\nContact: <sip:2000@127.0.0.2:" + pbx.port()
                                + ">\nMax-Forwards: 70\n",
                        SDP_PBX),
                bridgeVpn);
        Message invite = phone.receive();
        assertEquals(100, pbx.receive().status());
        phone.send(
                withBody(
                        TextSipPeer.response(invite, "200 OK", "Contact: " + phoneContact() + "\n")
                                .replace("Content-Length: 0\n\n", ""),
                        SDP_PHONE),
                invite.from());
        Message ok = pbx.receive();
        String bridgeTarget = uriOf(ok.header("Contact"));
        String dialog = "From: <sip:2000@sipbridge.lab>;tag=pbxtag\nTo: " + ok.header("To")
                + "\nCall-ID: move@pbx\nMax-Forwards: 70\n";
        pbx.send(
                "ACK " + bridgeTarget + " SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.2:" + pbx.port() + ";branch=z9hG4bK-m2\n"
                        + dialog + "CSeq: 10 ACK\nContent-Length: 0\n\n",
                bridgeVpn);
        assertEquals("ACK", phone.receive().method());

        // The PBX moves the media to another server; the phone refuses with 488.
        String moved = SDP_PBX.replace("127.0.0.2", "127.0.0.9").replace("o=pbx 7 7", "o=pbx 7 8");
        pbx.send(
                withBody(
                        "INVITE " + bridgeTarget + " SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.2:" + pbx.port()
                                + ";branch=z9hG4bK-m3\n" + dialog + "CSeq: 11 INVITE\nContact: <sip:2000@127.0.0.2:"
                                + pbx.port() + ">\n",
                        moved),
                bridgeVpn);
        Message reinvite = phone.receive();
        assertEquals("INVITE", reinvite.method());
        phone.send(TextSipPeer.response(reinvite, "488 Not Acceptable Here", ""), reinvite.from());
        Message refused = pbx.receive();
        while (refused.status() == 100) {
            refused = pbx.receive();
        }
        assertEquals(488, refused.status());
        pbx.send(
                "ACK " + bridgeTarget + " SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.2:" + pbx.port() + ";branch=z9hG4bK-m3\n"
                        + dialog.replace(ok.header("To"), refused.header("To")) + "CSeq: 11 ACK\nContent-Length: 0\n\n",
                bridgeVpn);
        assertEquals(List.of("vpn"), media.rejectedOffers);

        // An offer that is accepted stays.
        pbx.send(
                withBody(
                        "INVITE " + bridgeTarget + " SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.2:" + pbx.port()
                                + ";branch=z9hG4bK-m4\n" + dialog + "CSeq: 12 INVITE\nContact: <sip:2000@127.0.0.2:"
                                + pbx.port() + ">\n",
                        moved),
                bridgeVpn);
        Message again = phone.receive();
        while ("ACK".equals(again.method())) { // the bridge's own ACK of the phone's 488
            again = phone.receive();
        }
        phone.send(
                withBody(
                        TextSipPeer.response(again, "200 OK", "Contact: " + phoneContact() + "\n")
                                .replace("Content-Length: 0\n\n", ""),
                        SDP_PHONE),
                again.from());
        Message accepted = pbx.receive();
        while (accepted.status() == 100) {
            accepted = pbx.receive();
        }
        assertEquals(200, accepted.status());
        assertEquals(List.of("vpn"), media.rejectedOffers);
        assertTrue(
                relay.calls().get(0).timeline().stream()
                        .anyMatch(e -> e.message().contains("offer from the")),
                "the undo is on the call's timeline");
    }

    @Test
    void cancelBeforeAnswerReachesThePbxAndThePhoneGets487() throws Exception {
        phone.send(phoneInvite("z9hG4bK-c1"), bridgeLan);
        Message invite = pbx.receive();
        assertEquals(100, phone.receive().status());
        pbx.send(TextSipPeer.response(invite, "180 Ringing", ""), invite.from());
        assertEquals(180, phone.receive().status());
        phone.send(
                "CANCEL sip:2000@sipbridge.lab SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port()
                        + ";branch=z9hG4bK-c1\nFrom: \"Jane\" <sip:1001@sipbridge.lab>;tag=callertag\nTo: <sip:2000@sipbridge.lab>\n"
                        + "Call-ID: call-1@" + LAN + "\nCSeq: 1 CANCEL\nMax-Forwards: 70\nContent-Length: 0\n\n",
                bridgeLan);
        assertEquals(200, phone.receive().status(), "CANCEL answered");
        Message cancel = pbx.receive();
        assertEquals("CANCEL", cancel.method());
        pbx.send(TextSipPeer.response(cancel, "200 OK", ""), cancel.from());
        pbx.send(TextSipPeer.response(invite, "487 Request Terminated", ""), invite.from());
        Message terminated = phone.receive();
        assertEquals(487, terminated.status());
        assertEquals(1, media.released.get());
        // The Sessions detail shows both legs step by step.
        List<String> timeline = relay.calls().get(0).timeline().stream()
                .map(e -> e.from() + ">" + e.to() + " " + e.message())
                .toList();
        assertEquals(
                List.of(
                        "phone>bridge INVITE (SDP)",
                        "bridge>pbx INVITE (SDP)",
                        "pbx>bridge 180 Ringing",
                        "bridge>phone 180 Ringing",
                        "phone>bridge CANCEL",
                        "bridge>pbx CANCEL",
                        "pbx>bridge 487 Request Terminated",
                        "bridge>phone 487 Request Terminated"),
                timeline);
    }

    @Test
    void a500FromTheFirstServerTriesTheNextForThisCallOnly() throws Exception {
        phone.send(phoneInvite("z9hG4bK-f500"), bridgeLan);
        Message invite = pbx.receive();
        pbx.send(TextSipPeer.response(invite, "500 Server Internal Error", ""), invite.from());
        assertEquals("ACK", pbx.receive().method());
        Message retried = backup.receive();
        assertEquals("INVITE", retried.method(), "the call is tried on the next server");
        backup.send(TextSipPeer.response(retried, "486 Busy Here", ""), retried.from());
        assertEquals(486, receiveFinal(phone).status());
        ServerStatus first = relay.servers().get(0);
        assertEquals(ServerStatus.ServerState.UP, first.state(), "a 500 is about one call, not the server: " + first);
        assertTrue(first.current(), first.toString());
    }

    @Test
    void a503MovesTheCallOnAndAProbeDecidesTheServersState() throws Exception {
        phone.send(phoneInvite("z9hG4bK-f503"), bridgeLan);
        Message invite = pbx.receive();
        pbx.send(TextSipPeer.response(invite, "503 Service Unavailable", ""), invite.from());
        assertEquals("ACK", pbx.receive().method());
        Message retried = backup.receive();
        assertEquals("INVITE", retried.method(), "the call is tried on the next server");
        backup.send(TextSipPeer.response(retried, "486 Busy Here", ""), retried.from());
        assertEquals(486, receiveFinal(phone).status());
        // The 503 made the server suspect, not down: it answers the probe sent at once, so it stays up.
        assertTrue(pbx.silentFor(1500), "the probe is answered on the way; nothing else arrives");
        assertEquals(
                ServerStatus.ServerState.UP,
                relay.servers().get(0).state(),
                relay.servers().toString());
    }

    private static Message receiveFinal(TextSipPeer peer) throws Exception {
        Message message = peer.receive();
        while (message.status() < 200) {
            message = peer.receive();
        }
        return message;
    }

    @Test
    void anUnregisteredCallerIsRefused() throws Exception {
        phone.send(
                phoneInvite("z9hG4bK-x")
                        .replace("sip:1001@sipbridge.lab>;tag=callertag", "sip:1099@sipbridge.lab>;tag=x"),
                bridgeLan);
        assertEquals(403, phone.receive().status());
        assertTrue(pbx.silentFor(300));
    }

    @Test
    void messagesSubscriptionsAndNotifiesFollowTheBridge() throws Exception {
        // MESSAGE from the phone: a standalone request.
        phone.send(
                "MESSAGE sip:2000@sipbridge.lab SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port()
                        + ";branch=z9hG4bK-m1\nFrom: <sip:1001@sipbridge.lab>;tag=m\nTo: <sip:2000@sipbridge.lab>\n"
                        + "Call-ID: msg-1@" + LAN + "\nCSeq: 1 MESSAGE\nMax-Forwards: 70\nContent-Type: text/plain\n"
                        + "Content-Length: 5\n\nhello",
                bridgeLan);
        Message message = pbx.receive();
        assertEquals("MESSAGE", message.method());
        assertTrue(message.text().endsWith("hello"), message.text());
        pbx.send(TextSipPeer.response(message, "200 OK", ""), message.from());
        assertEquals(200, phone.receive().status());

        // SUBSCRIBE for BLF, then a NOTIFY inside the subscription dialog.
        phone.send(
                "SUBSCRIBE sip:2000@sipbridge.lab SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port()
                        + ";branch=z9hG4bK-s1\nFrom: <sip:1001@sipbridge.lab>;tag=sub\nTo: <sip:2000@sipbridge.lab>\n"
                        + "Call-ID: sub-1@" + LAN + "\nCSeq: 1 SUBSCRIBE\nEvent: dialog\nExpires: 600\nContact: "
                        + phoneContact()
                        + "\nMax-Forwards: 70\nContent-Length: 0\n\n",
                bridgeLan);
        Message subscribe = pbx.receive();
        assertEquals("dialog", subscribe.header("Event"));
        assertFalse(subscribe.text().contains(LAN), subscribe.text());
        pbx.send(
                TextSipPeer.response(
                        subscribe, "200 OK", "Contact: <sip:2000@127.0.0.2:" + pbx.port() + ">\nExpires: 600\n"),
                subscribe.from());
        Message accepted = phone.receive();
        assertEquals(200, accepted.status());
        String subscriber = uriOf(subscribe.header("Contact"));
        pbx.send(
                "NOTIFY " + subscriber + " SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.2:" + pbx.port() + ";branch=z9hG4bK-n1\n"
                        + "From: <sip:2000@sipbridge.lab>;tag=pbx1\nTo: " + subscribe.header("From") + "\nCall-ID: "
                        + subscribe.header("Call-ID")
                        + "\nCSeq: 1 NOTIFY\nEvent: dialog\nSubscription-State: active;expires=600\n"
                        + "Contact: <sip:2000@127.0.0.2:" + pbx.port()
                        + ">\nMax-Forwards: 70\nContent-Type: application/dialog-info+xml\n"
                        + "Content-Length: 7\n\n<state>",
                new InetSocketAddress(VPN, port));
        Message notify = phone.receive();
        assertEquals("NOTIFY", notify.method());
        assertEquals("sub-1@" + LAN, notify.header("Call-ID"));
        assertTrue(notify.text().endsWith("<state>"));
        phone.send(TextSipPeer.response(notify, "200 OK", ""), notify.from());
        assertEquals(200, pbx.receive().status());

        // Unsolicited message-waiting NOTIFY from the PBX to the registered contact.
        pbx.send(
                "NOTIFY " + uriOf(registeredContact) + " SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.2:" + pbx.port()
                        + ";branch=z9hG4bK-n2\nFrom: <sip:1001@sipbridge.lab>;tag=mwi\nTo: <sip:1001@sipbridge.lab>\n"
                        + "Call-ID: mwi-1@pbx\nCSeq: 1 NOTIFY\nEvent: message-summary\nSubscription-State: active\nMax-Forwards: 70\n"
                        + "Content-Type: application/simple-message-summary\nContent-Length: 23\n\nMessages-Waiting: yes\r\n",
                new InetSocketAddress(VPN, port));
        Message mwi = phone.receive();
        assertEquals("NOTIFY sip:1001@" + LAN + ":" + phone.port() + " SIP/2.0", mwi.startLine());
        phone.send(TextSipPeer.response(mwi, "200 OK", ""), mwi.from());
        assertEquals(200, pbx.receive().status());
        assertEquals(List.of(), relay.calls(), "subscriptions and messages are not calls");
    }

    @Test
    void reliableProvisionalResponsesAreAcknowledgedOnEachLeg() throws Exception {
        phone.send(
                phoneInvite("z9hG4bK-rel1").replace("Max-Forwards: 70\n", "Max-Forwards: 70\nSupported: 100rel\n"),
                bridgeLan);
        Message invite = pbx.receive();
        assertTrue(invite.header("Supported").contains("100rel"));
        assertEquals(100, phone.receive().status());
        String early = TextSipPeer.response(
                        invite,
                        "183 Session Progress",
                        "Require: 100rel\nRSeq: 7\n" + "Contact: <sip:2000@127.0.0.2:" + pbx.port() + ">\n")
                .replace("Content-Length: 0\n\n", "");
        pbx.send(withBody(early, SDP_PBX), invite.from());

        Message prackToPbx = pbx.receive();
        assertEquals("PRACK", prackToPbx.method());
        assertTrue(prackToPbx.header("RAck").startsWith("7 1 INVITE"), prackToPbx.header("RAck"));
        pbx.send(TextSipPeer.response(prackToPbx, "200 OK", ""), prackToPbx.from());

        Message progress = phone.receive();
        assertEquals(183, progress.status());
        assertTrue(progress.header("Require").contains("100rel"));
        assertTrue(progress.text().contains("c=IN IP4 " + LAN), progress.text());
        String rseq = progress.header("RSeq");
        phone.send(
                "PRACK " + uriOf(progress.header("Contact")) + " SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port()
                        + ";branch=z9hG4bK-pr1\nFrom: \"Jane\" <sip:1001@sipbridge.lab>;tag=callertag\nTo: "
                        + progress.header("To")
                        + "\nCall-ID: call-1@" + LAN + "\nCSeq: 2 PRACK\nRAck: " + rseq
                        + " 1 INVITE\nMax-Forwards: 70\n"
                        + "Content-Length: 0\n\n",
                bridgeLan);
        Message prackOk = phone.receive();
        while (prackOk.status() == 183) {
            prackOk = phone.receive(); // a retransmission of the reliable 183 before our PRACK landed
        }
        assertEquals(200, prackOk.status());
        assertTrue(prackOk.header("CSeq").endsWith("PRACK"), prackOk.header("CSeq"));
    }
}
