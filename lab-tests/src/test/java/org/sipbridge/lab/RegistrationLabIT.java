package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A phone (SIPp) in the phone namespace registers through the bridge with the real Kamailio PBX,
 * which the phone cannot reach itself. The PBX's location table must show only the bridge's VPN
 * address, and the bridge must refuse strangers on both sides.
 */
class RegistrationLabIT extends PbxLabTest {

    @BeforeAll
    static void startLab() throws Exception {
        startLab("rg");
    }

    private BridgeDaemon start(String name, String stations) throws Exception {
        return startBridge(name, stations);
    }

    private LabNetwork.Result phoneRegisters(String scenario, String user, int port, String... auth) throws Exception {
        List<String> options = new java.util.ArrayList<>(List.of("-key", "domain", "sipbridge.lab", "-s", user));
        options.addAll(List.of(auth));
        return Sipp.run(
                lab,
                "phone",
                scenario,
                lab.fact("PHONE_IP"),
                port,
                lab.fact("BRIDGE_LAN_IP") + ":8060",
                options.toArray(String[]::new));
    }

    private List<String> locationsOf(String user) throws Exception {
        return pbx.locations().stream()
                .filter(line -> line.contains("sip:" + user + "@"))
                .toList();
    }

    @Test
    void passThroughDigestRegistersThePhoneAndThePbxSeesOnlyTheBridge() throws Exception {
        start("pass-through", "[]");
        JsonNode before = daemon.status();
        assertEquals(
                List.of("The phone has not registered with the bridge"),
                List.of(before.path("reasons").path(0).path("message").asText()));

        LabNetwork.Result sipp = phoneRegisters("phone-register.xml", "1001", 5061, "-ap", "pass1001");
        assertEquals(0, sipp.exitCode(), sipp.output() + "\n" + daemon.process().output());

        List<String> locations = locationsOf("1001");
        assertFalse(locations.isEmpty());
        assertTrue(
                locations.stream().allMatch(l -> l.contains("@" + lab.fact("BRIDGE_VPN_IP") + ":8060;sbid=")),
                locations::toString);
        assertFalse(
                pbx.locations().stream().anyMatch(line -> line.contains("198.18.")), "a LAN address reached the PBX");

        JsonNode status = daemon.status();
        assertEquals("READY", status.path("state").asText(), status.toString());
        JsonNode registration = status.path("registrations").path(0);
        assertEquals("sip:1001@sipbridge.lab", registration.path("aor").asText());
        assertTrue(registration.path("phoneContact").asText().contains(lab.fact("PHONE_IP") + ":5061"));
        assertTrue(registration.path("expiresInSec").asInt() > 200);
    }

    @Test
    void sipPacketsTheBridgeSendsCarryDscpCs3() throws Exception {
        start("dscp", "[]");
        try (Tshark capture = Tshark.start(
                lab,
                dir.resolve("tshark"),
                "bridge",
                lab.fact("VPN_IF"),
                "udp and src host " + lab.fact("BRIDGE_VPN_IP"),
                "ip.dsfield.dscp")) {
            LabNetwork.Result sipp = phoneRegisters("phone-register.xml", "1001", 5064, "-ap", "pass1001");
            assertEquals(0, sipp.exitCode(), sipp.output());
            List<String> dscp = capture.stop();
            assertTrue(dscp.size() >= 2, "captured " + dscp);
            assertEquals(List.of("24"), dscp.stream().distinct().toList(), "DSCP of the bridge's SIP packets: " + dscp);
        }
    }

    @Test
    void aPhoneOnTcpRegistersWithAPbxOnUdp() throws Exception {
        start("tcp-phone", "[]");
        LabNetwork.Result sipp = phoneRegisters("phone-register.xml", "1003", 5065, "-ap", "pass1003", "-t", "t1");
        assertEquals(0, sipp.exitCode(), sipp.output() + "\n" + daemon.process().output());
        JsonNode registration = daemon.status().path("registrations").path(0);
        assertTrue(registration.path("phoneContact").asText().contains("transport=TCP"), registration.toString());
        assertTrue(locationsOf("1003").stream()
                .allMatch(l -> l.contains("@" + lab.fact("BRIDGE_VPN_IP") + ":8060;sbid=")));
        assertFalse(locationsOf("1003").isEmpty());
    }

    @Test
    void aPhoneOnTlsReachesThePbxThroughTheBridge() throws Exception {
        start("tls-phone", "[]");
        // OpenSSL as the phone's TLS stack, verifying the bridge's generated certificate.
        Path certificate = dir.resolve("tls-phone/data/sip-tls-cert.pem");
        String register = "REGISTER sip:sipbridge.lab SIP/2.0\r\nVia: SIP/2.0/TLS " + lab.fact("PHONE_IP")
                + ":5066;branch=z9hG4bK-tls1\r\nFrom: <sip:1001@sipbridge.lab>;tag=tls\r\nTo: <sip:1001@sipbridge.lab>\r\n"
                + "Call-ID: tls-lab@phone\r\nCSeq: 1 REGISTER\r\nContact: <sip:1001@" + lab.fact("PHONE_IP")
                + ":5066;transport=tls>\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        LabNetwork.Result result = lab.exec(
                "phone",
                "bash",
                "-c",
                "(printf '%s' \"$0\"; sleep 3) | timeout 10 openssl s_client "
                        + "-quiet -verify_return_error -CAfile " + certificate + " -connect "
                        + lab.fact("BRIDGE_LAN_IP") + ":8061 "
                        + "-tls1_2 2>&1",
                register);
        assertTrue(result.output().contains("SIP/2.0 401 Unauthorized"), result.output());
        assertTrue(result.output().contains("WWW-Authenticate: Digest realm=\"sipbridge.lab\""), result.output());
        assertTrue(result.output().contains("verify return:1"), result.output());
    }

    @Test
    void wrongPasswordIsRefusedByThePbxThroughTheBridge() throws Exception {
        start("wrong-password", "[]");
        LabNetwork.Result sipp = phoneRegisters("phone-register.xml", "1002", 5063, "-ap", "not-the-password");
        assertTrue(sipp.exitCode() != 0, sipp.output());
        assertEquals("NOT_READY", daemon.status().path("state").asText());
    }

    @Test
    void stationCredentialsRegisterAPhoneThatHasNone() throws Exception {
        start("station", "[{\"name\": \"Desk\", \"userName\": \"1002\", \"password\": \"pass1002\"}]");
        LabNetwork.Result sipp = phoneRegisters("phone-register-noauth.xml", "1002", 5062);
        assertEquals(0, sipp.exitCode(), sipp.output() + "\n" + daemon.process().output());
        List<String> locations = locationsOf("1002");
        assertEquals(1, locations.size(), locations::toString);
        assertTrue(locations.get(0).contains("@" + lab.fact("BRIDGE_VPN_IP") + ":8060"), locations.get(0));
        assertEquals("READY", daemon.status().path("state").asText());
    }

    @Test
    void strangersGetForbiddenOnBothSides() throws Exception {
        start("strangers", "[]");
        // From the PBX side: an INVITE for nothing the bridge registered (toll-fraud probe).
        LabNetwork.Result fromVpn = Sipp.run(
                lab,
                "pbx",
                "invite-refused.xml",
                lab.fact("PBX_IP"),
                5090,
                lab.fact("BRIDGE_VPN_IP") + ":8060",
                "-s",
                "900441234567");
        assertEquals(0, fromVpn.exitCode(), fromVpn.output());
        // From the home wire but outside the LAN subnet (e.g. a guest network on the same cable).
        assertEquals(
                0,
                lab.exec("phone", "ip", "addr", "add", "198.18.9.10/24", "dev", "eth0")
                        .exitCode());
        assertEquals(
                0,
                lab.exec("bridge", "ip", "route", "add", "198.18.9.0/24", "dev", "eth0")
                        .exitCode());
        try {
            LabNetwork.Result fromOutside = Sipp.run(
                    lab,
                    "phone",
                    "invite-refused.xml",
                    "198.18.9.10",
                    5091,
                    lab.fact("BRIDGE_LAN_IP") + ":8060",
                    "-s",
                    "2000");
            assertEquals(0, fromOutside.exitCode(), fromOutside.output());
        } finally {
            lab.exec("bridge", "ip", "route", "del", "198.18.9.0/24", "dev", "eth0");
            lab.exec("phone", "ip", "addr", "del", "198.18.9.10/24", "dev", "eth0");
        }
        assertTrue(
                daemon.process().output().contains("Refused INVITE from " + lab.fact("PBX_IP")),
                daemon.process().output());
        assertTrue(
                daemon.process().output().contains("Refused INVITE from 198.18.9.10"),
                daemon.process().output());
    }
}
