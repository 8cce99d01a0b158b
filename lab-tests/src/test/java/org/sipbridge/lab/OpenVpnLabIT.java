package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The bridge over a real VPN (lab/openvpn): its VPN adapter is the tun0 the OpenVPN client creates with
 * the address the server pushes, over an "internet" link of MTU 1400 to the gateway that routes to the
 * office (Kamailio, the callee). Calls go both ways with audio, the bridge marks its RTP EF inside the
 * tunnel, and OpenVPN's passtos decides whether the mark reaches the outer packets on the internet.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenVpnLabIT extends OpenVpnCallTest {

    @BeforeAll
    static void start() throws Exception {
        startLab("ov");
    }

    @Test
    @Order(1)
    void theTunnelIsOpenVpnsWithThePushedAddress() throws Exception {
        assertEquals(lab.fact("BRIDGE_VPN_IP"), vpn.tunnelAddress());
        LabNetwork.Result link = lab.exec("bridge", "ip", "-d", "link", "show", "dev", lab.fact("VPN_IF"));
        assertTrue(link.output().contains("tun type tun"), link.output());
        LabNetwork.Result mtu = lab.exec("bridge", "ip", "link", "show", "dev", lab.fact("INET_IF"));
        assertTrue(mtu.output().contains("mtu " + lab.fact("INET_MTU")), mtu.output());
        // The phone still reaches nothing beyond the bridge: no route through the tunnel for the LAN.
        assertTrue(lab.exec("phone", "ping", "-n", "-c1", "-W1", lab.fact("PBX_IP"))
                        .exitCode()
                != 0);
    }

    @Test
    @Order(2)
    void audioFlowsBothWaysMarkedEfInsideTheTunnelAndOutsideWithPasstos() throws Exception {
        CallMarks marks = callAndCaptureMarks("passtos", 5062, 7000);
        assertTrue(
                marks.outer().stream().filter("46"::equals).count() >= 100,
                "with passtos the outer RTP packets must carry EF: " + summary(marks.outer()));
    }

    @Test
    @Order(3)
    void thePbxCallsThePhoneThroughTheTunnel() throws Exception {
        LabCalls.pbxCallsThePhone(lab, dir, daemon);
    }

    @Test
    @Order(4)
    void withoutPasstosTheOuterPacketsCarryNoMark() throws Exception {
        vpn.stopClient();
        vpn.startClient(false);
        awaitBridgeUsable();
        CallMarks marks = callAndCaptureMarks("no-passtos", 5064, 7400);
        assertTrue(
                marks.outer().size() >= 100,
                "too few outer packets: " + marks.outer().size());
        assertEquals(
                List.of("0"),
                marks.outer().stream().distinct().toList(),
                "without passtos OpenVPN must not copy the inner DSCP to the outer packets");
    }

    /** DSCP of the bridge's RTP toward the PBX inside tun0 and of the client's UDP to the server on the internet link. */
    record CallMarks(List<String> inner, List<String> outer) {}

    /** A 3 s call from the phone with the callee echoing; asserts the audio both ways and EF inside the tunnel. */
    private CallMarks callAndCaptureMarks(String name, int sipPort, int calleeMediaPort) throws Exception {
        Path scenario = setup.audioCallScenario("call-" + name, 3);
        LabProcess callee = lab.start(
                "pbx",
                dir.resolve("callee-" + name),
                Map.of(),
                "sipp",
                "-sf",
                LabNetwork.REPO.resolve("lab/sipp/uas-answer.xml").toString(),
                "-i",
                lab.fact("PBX_IP"),
                "-p",
                "5070",
                "-mi",
                lab.fact("PBX_IP"),
                "-mp",
                String.valueOf(calleeMediaPort),
                "-rtp_echo",
                "-m",
                "1",
                "-timeout",
                "30",
                "-nostdin");
        try (Tshark inner = Tshark.start(
                        lab,
                        dir.resolve("tshark-inner-" + name),
                        "bridge",
                        lab.fact("VPN_IF"),
                        "udp and src host " + lab.fact("BRIDGE_VPN_IP") + " and portrange 16384-32767",
                        "ip.dsfield.dscp");
                Tshark outer = Tshark.start(
                        lab,
                        dir.resolve("tshark-outer-" + name),
                        "bridge",
                        lab.fact("INET_IF"),
                        "udp and src host " + lab.fact("BRIDGE_INET_IP") + " and dst port 1194",
                        "ip.dsfield.dscp");
                Tshark toPhone = Tshark.start(
                        lab,
                        dir.resolve("tshark-lan-" + name),
                        "bridge",
                        lab.fact("LAN_IF"),
                        "udp and src host " + lab.fact("BRIDGE_LAN_IP") + " and dst host " + lab.fact("PHONE_IP")
                                + " and not port 8060",
                        "udp.dstport")) {
            Thread.sleep(300); // SIPp binds its port
            LabNetwork.Result call = setup.phoneCalls(scenario, sipPort, 3500);
            assertEquals(
                    0, call.exitCode(), call.output() + "\n" + daemon.process().output() + "\n" + vpn.logs());
            List<String> innerMarks = inner.stop();
            List<String> outerMarks = outer.stop();
            List<String> echoed = toPhone.stop();
            System.out.println(name + ": inner RTP toward the PBX " + summary(innerMarks) + "; outer packets "
                    + summary(outerMarks) + "; echoed audio to the phone: " + echoed.size() + " packets");
            assertTrue(innerMarks.size() >= 100, "too little media toward the PBX: " + innerMarks.size());
            assertEquals(
                    List.of("46"),
                    innerMarks.stream().distinct().toList(),
                    "DSCP of the bridge's RTP inside the tunnel");
            assertTrue(echoed.size() >= 20, "too little echoed media reached the phone: " + echoed.size());
            return new CallMarks(innerMarks, outerMarks);
        } finally {
            callee.close();
        }
    }

    /** After a reconnect: the adapter change is settled (debounce) and the bridge is Ready again. */
    private static void awaitBridgeUsable() throws Exception {
        Thread.sleep(2500); // AdapterWatcher's poll + debounce
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "";
        while (true) {
            try {
                com.fasterxml.jackson.databind.JsonNode status = daemon.status();
                last = status.toString();
                if ("READY".equals(status.path("state").asText())) {
                    return;
                }
            } catch (AssertionError slow) {
                last = slow.getMessage(); // the status did not answer within 5 s: a loaded machine, ask again
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the bridge did not become Ready again: " + last);
            }
            Thread.sleep(200);
        }
    }

    private static String summary(List<String> marks) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        marks.forEach(mark -> counts.merge(mark, 1L, Long::sum));
        return marks.size() + " packets, DSCP counts " + counts;
    }
}
