package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the bridge says about a real VPN (lab/openvpn): that its DSCP marks reach the internet only if
 * the OpenVPN client runs with passtos (it sees an OpenVPN tun device, not the client's settings), and
 * why it refuses a large INVITE when the PBX takes no SIP over TCP on a link that drops fragments.
 */
class OpenVpnStatusLabIT extends OpenVpnCallTest {

    private static final String ONLY_WITH_PASSTOS =
            "Priority marking reaches the internet only if the OpenVPN client runs with passtos";

    @BeforeAll
    static void start() throws Exception {
        startLab("os");
    }

    @Test
    void theStatusAndTheCheckSayMarksReachTheInternetOnlyWithPasstos() throws Exception {
        JsonNode status = daemon.status();
        JsonNode acrossVpn = status.path("dscpMarking").path("acrossVpn");
        System.out.println("status dscpMarking: " + status.path("dscpMarking"));
        assertEquals("ONLY_IF_CONFIGURED", acrossVpn.path("reach").asText(), acrossVpn.toString());
        assertEquals(lab.fact("VPN_IF"), acrossVpn.path("adapter").asText());
        assertTrue(
                status.path("warnings").toString().contains(ONLY_WITH_PASSTOS),
                status.path("warnings").toString());
        assertEquals("READY", status.path("state").asText(), "a warning never turns Ready into Not Ready");

        Path config = dir.resolve("check.json");
        Files.writeString(config, """
                {"bridge": {"servers": ["%s:5060"], "lanAdapter": "%s", "vpnAdapter": "%s"}}
                """.formatted(lab.fact("PBX_IP"), lab.fact("LAN_IF"), lab.fact("VPN_IF")));
        LabNetwork.Result check = lab.exec(
                "bridge",
                "env",
                "SIPBRIDGE_LOCK_FILE=" + dir.resolve("check.lock"),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                BridgeDaemon.JAR.toString(),
                "check",
                "--json",
                "--config",
                config.toString());
        JsonNode report = new ObjectMapper()
                .readTree(check.output().substring(check.output().indexOf('{')));
        JsonNode vpnDscp = null;
        for (JsonNode result : report.path("checks")) {
            if ("vpn-dscp".equals(result.path("id").asText())) {
                vpnDscp = result;
            }
        }
        System.out.println("sipbridge check, vpn-dscp: " + vpnDscp);
        assertTrue(vpnDscp != null, check.output());
        assertEquals("WARN", vpnDscp.path("status").asText(), vpnDscp.toString());
        assertTrue(vpnDscp.path("detail").asText().startsWith(ONLY_WITH_PASSTOS), vpnDscp.toString());
        assertTrue(vpnDscp.path("fix").asText().contains("passtos"), vpnDscp.toString());
    }

    /**
     * The PBX takes no TCP (its port 5060/TCP resets), so an INVITE of over 1400 bytes could only go as
     * UDP fragments, which this link drops: the phone gets 513 at once (not a 408 after 32 s of
     * retransmissions), the log says why and the status warns.
     */
    @Test
    void withoutTcpAtThePbxALargeInviteIsRefusedWith513AndTheStatusSaysWhy() throws Exception {
        assertEquals(
                0,
                lab.exec(
                                "pbx",
                                "iptables",
                                "-A",
                                "INPUT",
                                "-p",
                                "tcp",
                                "--dport",
                                "5060",
                                "-j",
                                "REJECT",
                                "--reject-with",
                                "tcp-reset")
                        .exitCode());
        Path scenario = dir.resolve("phone-call-too-large.xml");
        Files.writeString(
                scenario,
                Files.readString(LabNetwork.REPO.resolve("lab/sipp/phone-call-vpn-down.xml"))
                        .replace("response=\"503\"", "response=\"513\"")
                        .replace("^SIP/2\\.0 503 VPN is down", "^SIP/2\\.0 513 Message Too Large")
                        .replace(
                                "      a=rtpmap:0 PCMU/8000\n",
                                "      a=rtpmap:0 PCMU/8000\n" + LabCall.cryptoLines(10)));
        assertEquals(0, LabCalls.registerPhoneFrom(lab, 5064).exitCode(), "the phone registers from its calling port");
        long sentAt = System.nanoTime();
        LabNetwork.Result refused = Sipp.run(
                lab,
                "phone",
                scenario.toString(),
                lab.fact("PHONE_IP"),
                5064,
                lab.fact("BRIDGE_LAN_IP") + ":8060",
                "-key",
                "domain",
                "sipbridge.lab",
                "-key",
                "caller",
                "1001",
                "-s",
                "2000",
                "-timeout",
                "20",
                "-mi",
                lab.fact("PHONE_IP"),
                "-mp",
                "7600");
        long ms = (System.nanoTime() - sentAt) / 1_000_000;
        String log = daemon.process().output();
        String warnings = daemon.status().path("warnings").toString();
        System.out.println("513 after " + ms + " ms (SIPp included); status warnings: " + warnings);
        assertEquals(
                0, refused.exitCode(), "the phone must get 513 Message Too Large:\n" + refused.output() + "\n" + log);
        assertTrue(
                log.contains("Refused an INVITE to server " + lab.fact("PBX_IP") + ":5060 with 513 Message Too Large"),
                log);
        assertTrue(warnings.contains("takes no SIP over TCP, so the bridge refused an INVITE of "), warnings);
    }
}
