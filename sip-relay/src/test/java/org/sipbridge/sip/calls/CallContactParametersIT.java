package org.sipbridge.sip.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sipbridge.sip.LoopbackBridge.LAN;
import static org.sipbridge.sip.LoopbackBridge.PBX;
import static org.sipbridge.sip.LoopbackBridge.VPN;
import static org.sipbridge.sip.LoopbackBridge.uriOf;
import static org.sipbridge.sip.LoopbackBridge.withSdp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipbridge.sip.LoopbackBridge;
import org.sipbridge.sip.TextSipPeer;
import org.sipbridge.sip.TextSipPeer.Message;

/**
 * The bridge owns the Contact URI of each leg of a call, never its parameters: feature tags,
 * {@code +sip.instance} and unknown (quoted) parameters reach the other side byte for byte, in the
 * INVITE and in its 200, both ways.
 */
class CallContactParametersIT {

    private static final String SDP = "v=0\no=x 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\n"
            + "m=audio 40000 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n";
    private static final String PHONE_PARAMS =
            ";+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-00044b2f1a3c>\"" + ";video;x-vendor=\"a b;c=d, e\"";
    private static final String PBX_PARAMS =
            ";isfocus;+sip.instance=\"<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>\"" + ";expires=60;x-pbx=\"q=1\"";

    private LoopbackBridge bridge;

    @BeforeEach
    void start() throws Exception {
        bridge = new LoopbackBridge(new TextSipPeer(PBX), false);
        bridge.register("");
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    /** The parameters after the URI of a Contact value. */
    private static String params(String contact) {
        return contact.substring(contact.indexOf('>') + 1);
    }

    @Test
    void thePhonesCallKeepsItsContactParametersBothWays() throws Exception {
        bridge.phone.send(
                withSdp(
                        "INVITE sip:2000@sipbridge.lab SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + bridge.phone.port()
                                + ";branch=z9hG4bK-c1\nFrom: <sip:1001@sipbridge.lab>;tag=ct\nTo: <sip:2000@sipbridge.lab>\n"
                                + "Call-ID: cp-1@phone\nCSeq: 1 INVITE\nContact: <" + bridge.phoneUri() + ">"
                                + PHONE_PARAMS
                                + "\nMax-Forwards: 70\n",
                        SDP),
                bridge.lanSide());
        Message invite = bridge.pbx.receive();
        assertTrue(
                invite.header("Contact").startsWith("<sip:1001@" + VPN + ":" + bridge.port + ">"),
                invite.header("Contact"));
        assertEquals(PHONE_PARAMS, params(invite.header("Contact")));

        bridge.pbx.send(
                withSdp(
                        TextSipPeer.response(
                                        invite,
                                        "200 OK",
                                        "Contact: <sip:2000@" + PBX + ":" + bridge.pbx.port() + ">" + PBX_PARAMS + "\n")
                                .replace("Content-Length: 0\n\n", ""),
                        SDP),
                invite.from());
        Message ok = bridge.phone.receiveAfterTrying();
        assertEquals(200, ok.status());
        assertTrue(ok.header("Contact").startsWith("<sip:2000@" + LAN + ":" + bridge.port + ">"), ok.header("Contact"));
        assertEquals(PBX_PARAMS, params(ok.header("Contact")));
    }

    @Test
    void thePbxsCallKeepsItsContactParametersBothWays() throws Exception {
        bridge.pbx.send(
                withSdp(
                        "INVITE " + uriOf(bridge.registeredContact) + " SIP/2.0\nVia: SIP/2.0/UDP " + PBX + ":"
                                + bridge.pbx.port()
                                + ";branch=z9hG4bK-p1\nFrom: <sip:2000@sipbridge.lab>;tag=pt\nTo: <sip:1001@sipbridge.lab>\n"
                                + "Call-ID: cp-2@pbx\nCSeq: 10 INVITE\nContact: <sip:2000@" + PBX + ":"
                                + bridge.pbx.port() + ">" + PBX_PARAMS
                                + "\nMax-Forwards: 70\n",
                        SDP),
                bridge.vpnSide());
        Message invite = bridge.phone.receive();
        assertTrue(
                invite.header("Contact").startsWith("<sip:2000@" + LAN + ":" + bridge.port + ">"),
                invite.header("Contact"));
        assertEquals(PBX_PARAMS, params(invite.header("Contact")));

        bridge.phone.send(
                withSdp(
                        TextSipPeer.response(
                                        invite, "200 OK", "Contact: <" + bridge.phoneUri() + ">" + PHONE_PARAMS + "\n")
                                .replace("Content-Length: 0\n\n", ""),
                        SDP),
                invite.from());
        Message ok = bridge.pbx.receiveAfterTrying();
        assertEquals(200, ok.status());
        assertTrue(ok.header("Contact").startsWith("<sip:1001@" + VPN + ":" + bridge.port + ">"), ok.header("Contact"));
        assertEquals(PHONE_PARAMS, params(ok.header("Contact")));
    }
}
