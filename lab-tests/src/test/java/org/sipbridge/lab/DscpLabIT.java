package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Configured, non-default DSCP values reach the wire: with media.rtpQosDscpValue 34 (AF41) and
 * protocols' SIP DSCP 26, every RTP packet the bridge sends toward the PBX carries 34 and every SIP
 * packet 26 (the default EF 46 / CS3 24 are proven in CallLabIT and RegistrationLabIT).
 */
class DscpLabIT {

    @RegisterExtension
    static final RegisteredPhoneLab LAB = new RegisteredPhoneLab("dq", """
                "protocols": {"sipQosDscpValue": 26}, "media": {"rtpQosDscpValue": 34, "rtcpQosDscpValue": 18}""");

    @Test
    void theConfiguredMarksAreOnEveryPacketTheBridgeSendsToThePbx() throws Exception {
        LabProcess callee = LabCalls.callee(LAB.lab(), LAB.dir(), "uas-answer.xml", 6000);
        try (Tshark rtp = Tshark.start(
                        LAB.lab(),
                        LAB.dir().resolve("tshark-rtp"),
                        "bridge",
                        LAB.lab().fact("VPN_IF"),
                        "udp and src host " + LAB.lab().fact("BRIDGE_VPN_IP")
                                + " and portrange 16384-32767 and udp[8] & 0xc0 == 0x80",
                        "ip.dsfield.dscp");
                Tshark sip = Tshark.start(
                        LAB.lab(),
                        LAB.dir().resolve("tshark-sip"),
                        "bridge",
                        LAB.lab().fact("VPN_IF"),
                        "udp and src host " + LAB.lab().fact("BRIDGE_VPN_IP") + " and port 8060",
                        "ip.dsfield.dscp")) {
            LabNetwork.Result call = LabCalls.phoneCalls(LAB.lab(), LAB.dir(), "phone-call.xml", 5062);
            assertEquals(
                    0,
                    call.exitCode(),
                    call.output() + "\n" + LAB.daemon().process().output());
            callee.stop(Duration.ofSeconds(10));
            List<String> rtpMarks = rtp.stop();
            List<String> sipMarks = sip.stop();
            System.out.println("toward the PBX: " + rtpMarks.size() + " RTP packets, DSCP "
                    + rtpMarks.stream().distinct().toList() + "; " + sipMarks.size() + " SIP packets, DSCP "
                    + sipMarks.stream().distinct().toList());
            assertTrue(rtpMarks.size() >= 30, "too little media: " + rtpMarks.size());
            assertEquals(
                    List.of("34"), rtpMarks.stream().distinct().toList(), "DSCP of the bridge's RTP toward the PBX");
            assertTrue(sipMarks.size() >= 3, "too little SIP: " + sipMarks.size());
            assertEquals(
                    List.of("26"), sipMarks.stream().distinct().toList(), "DSCP of the bridge's SIP toward the PBX");
        } finally {
            callee.close();
        }
    }
}
