package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Large SIP messages over a real VPN whose internet link has MTU 1400 and drops IP fragments
 * (lab/openvpn/topology.sh), as behind some home routers: an INVITE of over 1400 bytes (SRTP keys)
 * would leave OpenVPN as a fragmented UDP packet and never arrive; the bridge sends it over TCP
 * (RFC 3261 §18.1.1), and the call connects.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenVpnFragmentsLabIT extends OpenVpnCallTest {

    @BeforeAll
    static void start() throws Exception {
        startLab("of");
    }

    @Test
    @Order(1)
    void whatTheInternetLinkCannotCarryWholeNeverArrives() throws Exception {
        String pbx = lab.fact("PBX_IP");
        assertEquals(
                0,
                lab.exec("bridge", "ping", "-n", "-c1", "-W3", "-s", "1200", pbx)
                        .exitCode(),
                "a packet that fits the link after OpenVPN's overhead crosses the tunnel");
        LabNetwork.Result big = lab.exec("bridge", "ping", "-n", "-c2", "-W3", "-s", "1420", pbx);
        String dropped = lab.exec("gw", "iptables", "-t", "raw", "-L", "PREROUTING", "-v", "-n", "-x")
                .output();
        System.out.println(
                "1448-byte ping through the tunnel: " + big.output() + "\ngateway's fragment rule:\n" + dropped);
        assertNotEquals(
                0, big.exitCode(), "a packet whose outer packet exceeds 1400 bytes must not arrive: " + big.output());
    }

    @Test
    @Order(2)
    void anInviteOfOver1400BytesGoesOverTcpAndTheCallConnects() throws Exception {
        Path scenario = setup.largeAudioCallScenario("large", 2, 9);
        LabProcess callee = setup.echoCallee("callee-large");
        try (Tshark lan = Tshark.start(
                        lab,
                        dir.resolve("tshark-lan"),
                        "bridge",
                        lab.fact("LAN_IF"),
                        // Fragments have no ports: the filter keeps them so that tshark reassembles a large INVITE.
                        "src host " + lab.fact("PHONE_IP") + " and not portrange 7000-7999",
                        "sip.Method",
                        "udp.length");
                Tshark tcp = Tshark.start(
                        lab, dir.resolve("tshark-tcp"), "bridge", lab.fact("VPN_IF"), "tcp port 5060", "sip.Method")) {
            Thread.sleep(300); // SIPp binds its port
            LabNetwork.Result call = setup.phoneCalls(scenario, 5062, 2000);
            List<String> fromPhone = lan.stop();
            List<String> overTcp = tcp.stop();
            System.out.println("the phone's requests (method, UDP length): " + fromPhone
                    + "\nSIP over TCP in the tunnel: " + overTcp);
            assertEquals(
                    0, call.exitCode(), call.output() + "\n" + daemon.process().output() + "\n" + vpn.logs());
            assertTrue(
                    fromPhone.stream()
                            .filter(line -> line.startsWith("INVITE"))
                            .anyMatch(line -> Integer.parseInt(line.split("\\s+")[1]) - 8 > 1400),
                    "no INVITE over 1400 bytes: " + fromPhone);
            assertTrue(overTcp.contains("INVITE"), "no INVITE over TCP: " + overTcp);
        } finally {
            callee.close();
        }
    }
}
