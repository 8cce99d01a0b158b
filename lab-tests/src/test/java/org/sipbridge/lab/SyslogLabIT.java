package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The phone's syslog: `logger` in the phone namespace sends RFC 3164 and RFC 5424 messages (and
 * garbage) over UDP to the bridge's LAN address; each lands in syslog.log with the sender's address.
 */
class SyslogLabIT {

    @RegisterExtension
    static final BridgeLab LAB =
            BridgeLab.bridge("sl", "\"diagnostics\": {\"syslogReceiverEnabled\": true, \"syslogPort\": 514}");

    @Test
    void thePhonesMessagesLandInSyslogLogWithTheSender() throws Exception {
        String bridge = LAB.lab().fact("BRIDGE_LAN_IP");
        assertEquals(
                0,
                LAB.lab()
                        .exec(
                                "phone",
                                "logger",
                                "--udp",
                                "--server",
                                bridge,
                                "--port",
                                "514",
                                "--rfc3164",
                                "-t",
                                "polycom",
                                "-p",
                                "local0.warning",
                                "registration lost")
                        .exitCode());
        assertEquals(
                0,
                LAB.lab()
                        .exec(
                                "phone",
                                "logger",
                                "--udp",
                                "--server",
                                bridge,
                                "--port",
                                "514",
                                "--rfc5424",
                                "-t",
                                "polycom",
                                "-p",
                                "user.info",
                                "<script>alert(1)</script> provisioning done")
                        .exitCode());
        // One datagram with a control character and a line feed that tries to forge a second log line.
        assertEquals(
                0,
                LAB.lab()
                        .exec(
                                "phone",
                                "python3",
                                "-c",
                                "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM)"
                                        + ".sendto(b'no header\\x01\\nforged line', ('" + bridge + "', 514))")
                        .exitCode());
        // The receiver listens on the LAN address only: nothing answers on the VPN side.
        assertTrue(LAB.lab()
                .exec("bridge", "bash", "-c", "ss -Hulpn 'sport = :514'")
                .output()
                .contains(bridge + ":514"));

        Path log = LAB.dir().resolve("bridge/data/logs/syslog.log");
        List<String> lines = List.of();
        for (int i = 0; i < 50 && lines.size() < 3; i++) {
            Thread.sleep(100);
            lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        }
        System.out.println(String.join("\n", lines));
        assertEquals(3, lines.size(), String.join("\n", lines));
        String phone = LAB.lab().fact("PHONE_IP");
        assertTrue(
                lines.get(0)
                        .matches(".* " + phone.replace(".", "\\.")
                                + " warning facility=16 .*polycom: registration lost"),
                lines.get(0));
        assertTrue(
                lines.get(1)
                        .matches(".* " + phone.replace(".", "\\.") + " info facility=1 .*polycom: .*"
                                + "<script>alert\\(1\\)</script> provisioning done"),
                lines.get(1));
        assertTrue(lines.get(2).endsWith(phone + " raw no header\\x01\\x0aforged line"), lines.get(2));
        String metrics = LAB.daemon().getText("/metrics");
        assertTrue(
                metrics.contains("\nsipbridge_syslog_received_total 3\n")
                        && metrics.contains("\nsipbridge_syslog_malformed_total 1\n"),
                metrics);
    }
}
