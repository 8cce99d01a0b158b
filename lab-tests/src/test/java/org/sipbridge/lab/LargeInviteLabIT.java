package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RFC 3261 §18.1.1 with a real PBX: the phone (SIPp) calls through the bridge with an INVITE of
 * over 1300 bytes (SRTP keys); the bridge, configured for UDP toward Kamailio (which also listens
 * on TCP), sends it over TCP, and the call goes on as usual.
 */
class LargeInviteLabIT {

    @RegisterExtension
    static final RegisteredPhoneLab LAB = new RegisteredPhoneLab("li");

    @Test
    void aLargeInviteReachesThePbxOverTcpAndTheCallGoesOn() throws Exception {
        Path scenario = LAB.call().largeAudioCallScenario("large-invite", 1, 10);
        LabProcess callee = LAB.call().echoCallee("callee");
        try (Tshark tcp = Tshark.start(
                LAB.call().lab,
                LAB.dir().resolve("tshark-tcp"),
                "bridge",
                LAB.call().lab.fact("VPN_IF"),
                "tcp port 5060",
                "sip.Method",
                "sip.Status-Code")) {
            LabNetwork.Result call = LAB.call().phoneCalls(scenario, 5062, 1000);
            assertEquals(
                    0,
                    call.exitCode(),
                    call.output() + "\n" + LAB.call().daemon.process().output());
            List<String> overTcp = tcp.stop();
            System.out.println("SIP over TCP between the bridge and the PBX: " + overTcp);
            assertTrue(overTcp.contains("INVITE"), "no INVITE over TCP: " + overTcp);
        } finally {
            callee.close();
        }
        assertFalse(
                LAB.call().daemon.process().output().contains("does not take SIP over TCP"),
                LAB.call().daemon.process().output());
    }
}
