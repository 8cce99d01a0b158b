package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * baresip as the phone over SIP/TCP to the bridge (its default transport toward the phone), UDP from
 * the bridge to Kamailio: calls both ways with audio proven by tones, nothing left behind.
 */
class RealClientsTcpLabIT extends RealClientLabTest {

    @BeforeAll
    static void start() throws Exception {
        startLabAndBridge("rt", "tcp");
    }

    @Test
    void baresipOverTcpCallsOutAndIsCalled() throws Exception {
        Baresip far = farEnd("far-tcp", "1002", 5080, FAR_HZ);
        Baresip phone = baresipPhone("phone-tcp", "1001", "tcp");
        String connections =
                lab.exec("phone", "ss", "-tn", "state", "established").output();
        assertTrue(
                connections.contains(lab.fact("BRIDGE_LAN_IP") + ":8060"),
                "no TCP connection to the bridge: " + connections);

        dial(phone, "sip:1002@sipbridge.lab", far);
        talkAndHangUp(phone, far);
        // The PBX reaches the phone over the TCP connection it registered on.
        dial(far, "sip:1001@sipbridge.lab", phone);
        talkAndHangUp(far, phone);
    }
}
