package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attacks on the SIP relay from a second device on the home LAN (198.18.1.66, an extra address of
 * the phone namespace) and from the LAN toward the bridge's VPN address, against the real Kamailio
 * PBX. What reaches the PBX is read with tshark on the PBX's own interface.
 */
class SipAttackLabIT extends PbxLabTest {

    private static final String INTRUDER_IP = "198.18.1.66";

    @BeforeAll
    static void startLab() throws Exception {
        startLab("sa");
        assertEquals(
                0,
                lab.exec("phone", "ip", "addr", "add", INTRUDER_IP + "/24", "dev", "eth0")
                        .exitCode());
    }

    private void start(String name, String stations) throws Exception {
        startBridge(name, stations);
    }

    /** SIP requests the PBX receives while {@code attack} runs, as "method" lines (responses are blank). */
    private List<String> requestsAtThePbxDuring(String name, Attack attack) throws Exception {
        try (Tshark capture = Tshark.start(
                lab,
                dir.resolve("tshark-" + name),
                "pbx",
                "eth0",
                "udp port 5060 and dst host " + lab.fact("PBX_IP"),
                "sip.Method")) {
            attack.run();
            // Only SIP method names (responses print an empty field); tshark's own lines are not packets.
            return capture.stop().stream()
                    .filter(m -> m.matches("[A-Z]+") && !m.equals("OPTIONS"))
                    .toList();
        }
    }

    private interface Attack {
        void run() throws Exception;
    }

    private LabNetwork.Result sipp(String from, int port, String scenario, String target, String... options)
            throws Exception {
        return Sipp.run(lab, "phone", scenario, from, port, target, options);
    }

    private String bridgeLan() {
        return lab.fact("BRIDGE_LAN_IP") + ":8060";
    }

    @Test
    void aSecondLanDeviceCannotCallAsTheRegisteredPhone() throws Exception {
        start("spoof-pass-through", "[]");
        LabNetwork.Result phone = sipp(
                lab.fact("PHONE_IP"),
                5061,
                "phone-register.xml",
                bridgeLan(),
                "-key",
                "domain",
                "sipbridge.lab",
                "-s",
                "1001",
                "-ap",
                "pass1001");
        assertEquals(
                0, phone.exitCode(), phone.output() + "\n" + daemon.process().output());

        List<String> atPbx = requestsAtThePbxDuring("pass-through", () -> {
            LabNetwork.Result spoofed = sipp(
                    INTRUDER_IP,
                    5070,
                    "invite-as-refused.xml",
                    bridgeLan(),
                    "-key",
                    "user",
                    "1001",
                    "-s",
                    "900441234567");
            assertEquals(0, spoofed.exitCode(), "the spoofed INVITE was not refused with 403:\n" + spoofed.output());
            // The phone's own address with another port is another device too (UDP: address and port).
            LabNetwork.Result samePcOtherPort = sipp(
                    lab.fact("PHONE_IP"),
                    5071,
                    "invite-as-refused.xml",
                    bridgeLan(),
                    "-key",
                    "user",
                    "1001",
                    "-s",
                    "900441234567");
            assertEquals(0, samePcOtherPort.exitCode(), samePcOtherPort.output());
            LabNetwork.Result stranger = sipp(
                    INTRUDER_IP,
                    5072,
                    "invite-as-refused.xml",
                    bridgeLan(),
                    "-key",
                    "user",
                    "1999",
                    "-s",
                    "900441234567");
            assertEquals(0, stranger.exitCode(), "an unregistered user gets the same 403:\n" + stranger.output());
        });
        assertEquals(List.of(), atPbx, "requests that reached the PBX");
        assertTrue(daemon.status().path("calls").isEmpty()
                || daemon.status().path("calls").size() == 0);
    }

    @Test
    void stationCredentialsServeOnlyTheStationsOwnDevice() throws Exception {
        start("spoof-station", "[{\"name\": \"Desk\", \"userName\": \"1002\", \"password\": \"pass1002\"}]");
        LabNetwork.Result phone = sipp(
                lab.fact("PHONE_IP"),
                5062,
                "phone-register-noauth.xml",
                bridgeLan(),
                "-key",
                "domain",
                "sipbridge.lab",
                "-s",
                "1002");
        assertEquals(
                0, phone.exitCode(), phone.output() + "\n" + daemon.process().output());

        List<String> atPbx = requestsAtThePbxDuring("station", () -> {
            LabNetwork.Result spoofed = sipp(
                    INTRUDER_IP,
                    5073,
                    "invite-as-refused.xml",
                    bridgeLan(),
                    "-key",
                    "user",
                    "1002",
                    "-s",
                    "900441234567");
            assertEquals(0, spoofed.exitCode(), spoofed.output());
            LabNetwork.Result takeover = sipp(
                    INTRUDER_IP,
                    5074,
                    "register-refused.xml",
                    bridgeLan(),
                    "-key",
                    "domain",
                    "sipbridge.lab",
                    "-s",
                    "1002");
            assertEquals(
                    0,
                    takeover.exitCode(),
                    "a second device took over the station's registration:\n" + takeover.output());
        });
        assertEquals(List.of(), atPbx, "requests that reached the PBX");
        JsonNode registrations = daemon.status().path("registrations");
        assertEquals(1, registrations.size(), registrations.toString());
        assertTrue(
                registrations.path(0).path("phoneContact").asText().contains(lab.fact("PHONE_IP") + ":5062"),
                registrations.toString());
    }

    @Test
    void passwordGuessingIsStoppedAtTheBridge() throws Exception {
        start("guessing", "[]");
        for (int guess = 0; guess < 5; guess++) {
            LabNetwork.Result wrong = sipp(
                    INTRUDER_IP,
                    5080 + guess,
                    "phone-register.xml",
                    bridgeLan(),
                    "-key",
                    "domain",
                    "sipbridge.lab",
                    "-s",
                    "1001",
                    "-ap",
                    "guess" + guess);
            assertTrue(wrong.exitCode() != 0, "a wrong password was accepted:\n" + wrong.output());
        }
        List<String> atPbx = requestsAtThePbxDuring("guessing", () -> {
            LabNetwork.Result blocked = sipp(
                    INTRUDER_IP,
                    5090,
                    "phone-register.xml",
                    bridgeLan(),
                    "-key",
                    "domain",
                    "sipbridge.lab",
                    "-s",
                    "1001",
                    "-ap",
                    "pass1001");
            assertTrue(blocked.exitCode() != 0, "the blocked device registered:\n" + blocked.output());
        });
        // The first REGISTER (no credentials) may pass to be challenged; the one with a password must not.
        assertTrue(atPbx.size() <= 1, "requests with credentials reached the PBX: " + atPbx);
        LabNetwork.Result phone = sipp(
                lab.fact("PHONE_IP"),
                5061,
                "phone-register.xml",
                bridgeLan(),
                "-key",
                "domain",
                "sipbridge.lab",
                "-s",
                "1001",
                "-ap",
                "pass1001");
        assertEquals(0, phone.exitCode(), "the real phone must still register:\n" + phone.output());
        assertTrue(
                daemon.status().path("warnings").toString().contains("are blocked"),
                daemon.status().toString());
    }

    @Test
    void aRegisterThePbxCannotHandleDoesNotTakeItDown() throws Exception {
        start("tel-register", "[]");
        String register = "REGISTER sip:sipbridge.lab SIP/2.0\r\nVia: SIP/2.0/UDP " + INTRUDER_IP
                + ":5095;branch=z9hG4bK-tel1;rport\r\nFrom: <sip:1001@sipbridge.lab>;tag=tel\r\nTo: <tel:1000>\r\n"
                + "Call-ID: tel-register@lab\r\nCSeq: 1 REGISTER\r\nContact: <sip:1001@" + INTRUDER_IP + ":5095>\r\n"
                + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        LabNetwork.Result sent =
                lab.exec("phone", "python3", "-c", """
                import socket, sys
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((sys.argv[1], 5095)); s.settimeout(5)
                s.sendto(sys.argv[3].encode(), (sys.argv[2], 8060))
                print(s.recv(4096).decode().splitlines()[0])
                """, INTRUDER_IP, lab.fact("BRIDGE_LAN_IP"), register);
        assertEquals(0, sent.exitCode(), sent.output());
        assertEquals("SIP/2.0 500 Server Internal Error", sent.output().trim(), "the PBX's answer reaches the sender");
        int registered = 0;
        for (int i = 0; i < 10; i++) {
            assertEquals("UP", serverState(), "after " + sent.output().trim() + ": " + daemon.status());
            LabNetwork.Result phone = sipp(
                    lab.fact("PHONE_IP"),
                    5061,
                    "phone-register.xml",
                    bridgeLan(),
                    "-key",
                    "domain",
                    "sipbridge.lab",
                    "-s",
                    "1001",
                    "-ap",
                    "pass1001");
            registered += phone.exitCode() == 0 ? 1 : 0;
        }
        assertEquals(10, registered, "registrations of the phone that succeeded");
        assertTrue(
                daemon.process().output().lines().noneMatch(l -> l.contains("is down")),
                daemon.process().output());
    }

    @Test
    void aLanHostCannotPoseAsThePbx() throws Exception {
        start("lan-to-vpn", "[]");
        String vpn = lab.fact("BRIDGE_VPN_IP");
        assertEquals(
                0,
                lab.exec("phone", "ip", "route", "add", vpn + "/32", "via", lab.fact("BRIDGE_LAN_IP"))
                        .exitCode());
        try {
            LabNetwork.Result posing =
                    sipp(lab.fact("PHONE_IP"), 5096, "invite-refused.xml", vpn + ":8060", "-s", "1001");
            assertEquals(0, posing.exitCode(), "a LAN host reached the PBX-side listener:\n" + posing.output());
        } finally {
            lab.exec("phone", "ip", "route", "del", vpn + "/32");
        }
        assertTrue(
                daemon.process().output().contains("a LAN address on the PBX side"),
                daemon.process().output());
    }

    @Test
    void aVpnHostCannotPoseAsAPhone() throws Exception {
        start("vpn-to-lan", "[]");
        String lan = lab.fact("BRIDGE_LAN_IP");
        assertEquals(
                0,
                lab.exec("pbx", "ip", "route", "add", lan + "/32", "via", lab.fact("BRIDGE_VPN_IP"))
                        .exitCode());
        try {
            LabNetwork.Result posing = Sipp.run(
                    lab,
                    "pbx",
                    "invite-as-refused.xml",
                    lab.fact("PBX_IP"),
                    5097,
                    lan + ":8060",
                    "-key",
                    "user",
                    "1001",
                    "-s",
                    "900441234567");
            assertEquals(0, posing.exitCode(), "a VPN host reached the phone-side listener:\n" + posing.output());
        } finally {
            lab.exec("pbx", "ip", "route", "del", lan + "/32");
        }
        assertTrue(
                daemon.process().output().contains("not on the home network"),
                daemon.process().output());
    }
}
