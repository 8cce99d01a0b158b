package org.sipbridge.sip.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sipbridge.sip.LoopbackBridge.LAN;
import static org.sipbridge.sip.LoopbackBridge.PBX;
import static org.sipbridge.sip.LoopbackBridge.uriOf;
import static org.sipbridge.sip.LoopbackBridge.withSdp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipbridge.sip.LoopbackBridge;
import org.sipbridge.sip.TextSipPeer;
import org.sipbridge.sip.TextSipPeer.Message;

/**
 * A phone that got GRUUs (RFC 5627) in its REGISTER's 200 and uses one as its dialogs' Contact, as
 * linphone does: the bridge's requests in those dialogs reach the contact registered under the GRUU
 * (as the GRUU domain's proxy would retarget them), not a host name only the PBX's domain resolves.
 */
class CallGruuIT {

    private static final String SDP = "v=0\no=x 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\n"
            + "m=audio 40000 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n";
    private static final String INSTANCE = "urn:uuid:a7092602-e452-00b3-92ff-5028b5d0629c";
    private static final String PUB_GRUU = "sip:1001@sipbridge.lab;gr=" + INSTANCE;
    private static final String TEMP_GRUU = "sip:uloc-6b13623f-c29-2-712de173@sipbridge.lab;gr";

    private LoopbackBridge bridge;

    @BeforeEach
    void start() throws Exception {
        bridge = new LoopbackBridge(new TextSipPeer(PBX), false);
        bridge.register(
                ";+sip.instance=\"<" + INSTANCE + ">\"",
                ";pub-gruu=\"" + PUB_GRUU + "\";temp-gruu=\"" + TEMP_GRUU + "\"");
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    @Test
    void thePbxsByeReachesAPhoneWhoseContactIsItsPublicGruu() throws Exception {
        bridge.phone.send(
                withSdp(
                        "INVITE sip:2000@sipbridge.lab SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + bridge.phone.port()
                                + ";branch=z9hG4bK-g1\nFrom: <sip:1001@sipbridge.lab>;tag=gt\nTo: <sip:2000@sipbridge.lab>\n"
                                + "Call-ID: gruu-1@phone\nCSeq: 1 INVITE\nContact: <" + PUB_GRUU
                                + ">\nMax-Forwards: 70\n",
                        SDP),
                bridge.lanSide());
        Message invite = bridge.pbx.receive();
        bridge.pbx.send(
                withSdp(
                        TextSipPeer.response(
                                        invite, "200 OK", "Contact: <sip:2000@" + PBX + ":" + bridge.pbx.port() + ">\n")
                                .replace("Content-Length: 0\n\n", ""),
                        SDP),
                invite.from());
        Message ok = bridge.phone.receiveAfterTrying();
        assertEquals(200, ok.status());
        bridge.phone.send(
                "ACK " + uriOf(ok.header("Contact")) + " SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":"
                        + bridge.phone.port() + ";branch=z9hG4bK-g1a\nFrom: <sip:1001@sipbridge.lab>;tag=gt\nTo: "
                        + ok.header("To")
                        + "\nCall-ID: gruu-1@phone\nCSeq: 1 ACK\nMax-Forwards: 70\nContent-Length: 0\n\n",
                bridge.lanSide());
        Message ack = bridge.pbx.receive();
        assertEquals("ACK", ack.method());

        // The PBX's own dialog: From and To swap round what its ACK says.
        bridge.pbx.send(
                "BYE " + uriOf(invite.header("Contact")) + " SIP/2.0\nVia: SIP/2.0/UDP " + PBX + ":"
                        + bridge.pbx.port() + ";branch=z9hG4bK-g1b\nFrom: " + ack.header("To") + "\nTo: "
                        + ack.header("From")
                        + "\nCall-ID: " + ack.header("Call-ID")
                        + "\nCSeq: 20 BYE\nMax-Forwards: 70\nContent-Length: 0\n\n",
                bridge.vpnSide());
        Message bye = bridge.phone.receive();
        assertEquals(
                "BYE " + bridge.phoneUri() + " SIP/2.0", bye.startLine(), "the BYE goes to the registered contact");
    }

    @Test
    void thePhoneAnsweringWithItsTemporaryGruuGetsTheAckAndTheBye() throws Exception {
        bridge.pbx.send(
                withSdp(
                        "INVITE " + uriOf(bridge.registeredContact) + " SIP/2.0\nVia: SIP/2.0/UDP " + PBX + ":"
                                + bridge.pbx.port()
                                + ";branch=z9hG4bK-g2\nFrom: <sip:2000@sipbridge.lab>;tag=pt\nTo: <sip:1001@sipbridge.lab>\n"
                                + "Call-ID: gruu-2@pbx\nCSeq: 10 INVITE\nContact: <sip:2000@" + PBX + ":"
                                + bridge.pbx.port() + ">\n"
                                + "Max-Forwards: 70\n",
                        SDP),
                bridge.vpnSide());
        Message invite = bridge.phone.receive();
        bridge.phone.send(
                withSdp(
                        TextSipPeer.response(invite, "200 OK", "Contact: <" + TEMP_GRUU + ">\n")
                                .replace("Content-Length: 0\n\n", ""),
                        SDP),
                invite.from());
        Message ok = bridge.pbx.receiveAfterTrying();
        assertEquals(200, ok.status());
        bridge.pbx.send(
                "ACK " + uriOf(ok.header("Contact")) + " SIP/2.0\nVia: SIP/2.0/UDP " + PBX + ":" + bridge.pbx.port()
                        + ";branch=z9hG4bK-g2a\nFrom: <sip:2000@sipbridge.lab>;tag=pt\nTo: " + ok.header("To")
                        + "\nCall-ID: gruu-2@pbx\nCSeq: 10 ACK\nMax-Forwards: 70\nContent-Length: 0\n\n",
                bridge.vpnSide());
        Message ack = bridge.phone.receive();
        assertEquals(
                "ACK " + bridge.phoneUri() + " SIP/2.0", ack.startLine(), "the ACK goes to the registered contact");

        bridge.pbx.send(
                "BYE " + uriOf(ok.header("Contact")) + " SIP/2.0\nVia: SIP/2.0/UDP " + PBX + ":" + bridge.pbx.port()
                        + ";branch=z9hG4bK-g2b\nFrom: <sip:2000@sipbridge.lab>;tag=pt\nTo: " + ok.header("To")
                        + "\nCall-ID: gruu-2@pbx\nCSeq: 11 BYE\nMax-Forwards: 70\nContent-Length: 0\n\n",
                bridge.vpnSide());
        Message bye = bridge.phone.receive();
        assertEquals(
                "BYE " + bridge.phoneUri() + " SIP/2.0", bye.startLine(), "the BYE goes to the registered contact");
    }
}
