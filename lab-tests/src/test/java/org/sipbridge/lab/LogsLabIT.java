package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attacks on the logs, the syslog receiver and the DHCP responder (issue #14, "Logs, files and DHCP"):
 * a forged log line in DHCP option 60, a flood of bad packets that would fill the disk, DHCPINFORMs
 * from the VPN side (with a true and a forged LAN source), and syslog from outside the LAN subnet.
 * The flood runs last: it empties the phone's syslog allowance, which the other tests rely on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LogsLabIT {

    private static final String MAC = "00:04:f2:aa:bb:01";
    private static final String OUTSIDER = "198.18.9.10";

    @RegisterExtension
    static final BridgeLab LAB =
            BridgeLab.bridge("lg", "\"diagnostics\": {\"syslogReceiverEnabled\": true, \"syslogPort\": 514}");

    private static Path logFile(String name) {
        return LAB.dir().resolve("bridge/data/logs").resolve(name);
    }

    private static List<String> lines(String name) throws IOException {
        return Files.exists(logFile(name)) ? Files.readAllLines(logFile(name)) : List.of();
    }

    /** The value of one metric sample (e.g. {@code sipbridge_dhcp_answered_total}) on /metrics now. */
    private static long metric(String sample) throws Exception {
        Matcher value = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\d+)")
                .matcher(LAB.daemon().getText("/metrics"));
        return value.find() ? Long.parseLong(value.group(1)) : 0;
    }

    private static void sendInform(
            String host, String iface, String source, String ciaddr, int count, String vendorClass) throws Exception {
        LabNetwork.Result sent = LAB.lab()
                .exec(
                        host,
                        "/usr/bin/python3",
                        LabNetwork.REPO.resolve("lab/dhcp/send_inform.py").toString(),
                        iface,
                        source,
                        ciaddr,
                        MAC,
                        Integer.toString(count),
                        vendorClass);
        assertEquals(0, sent.exitCode(), sent.output());
    }

    private static void sendSyslog(String host, String source, int count, int size) throws Exception {
        LabNetwork.Result sent = LAB.lab()
                .exec(
                        host,
                        "/usr/bin/python3",
                        LabNetwork.REPO.resolve("lab/attack/syslog_send.py").toString(),
                        source,
                        LAB.lab().fact("BRIDGE_LAN_IP"),
                        "514",
                        Integer.toString(count),
                        Integer.toString(size));
        assertEquals(0, sent.exitCode(), sent.output());
    }

    /** Waits until {@code sample} reaches {@code atLeast} (the LAB.daemon() has seen the packets), at most 10 s. */
    private static long awaitMetric(String sample, long atLeast) throws Exception {
        long value = metric(sample);
        for (int i = 0; i < 100 && value < atLeast; i++) {
            Thread.sleep(100);
            value = metric(sample);
        }
        return value;
    }

    @Test
    void aNewlineInOption60CannotForgeALogLine() throws Exception {
        long informs = metric("sipbridge_dhcp_informs_total");
        sendInform(
                "phone",
                "eth0",
                LAB.lab().fact("PHONE_IP"),
                LAB.lab().fact("PHONE_IP"),
                1,
                "Polycom\n2026-12-04 12:00:00.000 ERROR [main] org.sipbridge.Forged - FORGED by option 60");
        awaitMetric("sipbridge_dhcp_informs_total", informs + 1);
        Thread.sleep(300);
        List<String> log = lines("sipbridge.log");
        assertFalse(
                log.stream().anyMatch(line -> line.startsWith("2026-12-04 12:00:00.000 ERROR")),
                String.join("\n", log));
        assertTrue(
                log.stream().anyMatch(line -> line.contains("Polycom\\x0a2026-12-04 12:00:00.000 ERROR [main]")),
                String.join("\n", log));
    }

    @Test
    @Order(9)
    void aFloodOfBadPacketsDoesNotFillTheLog() throws Exception {
        int flood = 5000;
        assertEquals(
                0,
                LAB.lab()
                        .exec("phone", "ip", "addr", "add", OUTSIDER + "/24", "dev", "eth0")
                        .exitCode());
        try {
            long before = Files.size(logFile("sipbridge.log"));
            long informs = metric("sipbridge_dhcp_informs_total");
            sendInform("phone", "eth0", OUTSIDER, OUTSIDER, flood, "Polycom-VVX450");
            long seen = awaitMetric("sipbridge_dhcp_informs_total", informs + flood) - informs;
            Thread.sleep(500);
            long grown = Files.size(logFile("sipbridge.log")) - before;
            long unanswered = lines("sipbridge.log").stream()
                    .filter(line -> line.contains("Did not answer DHCPINFORM"))
                    .count();
            System.out.printf(
                    "DHCP flood: %d INFORMs sent, %d seen, %d 'Did not answer' lines, sipbridge.log grew %d bytes%n",
                    flood, seen, unanswered, grown);
            assertTrue(seen > flood / 2, "the flood reached the LAB.daemon(): " + seen);
            assertTrue(unanswered <= 20, unanswered + " lines for " + seen + " bad INFORMs");
            assertTrue(grown < 20_000, "sipbridge.log grew by " + grown + " bytes");

            int syslogBefore = lines("syslog.log").size();
            sendSyslog("phone", LAB.lab().fact("PHONE_IP"), flood, 200);
            Thread.sleep(1000);
            int written = lines("syslog.log").size() - syslogBefore;
            System.out.printf("Syslog flood: %d datagrams sent from the phone, %d lines written%n", flood, written);
            assertTrue(written > 0, "the phone's syslog still gets through");
            assertTrue(written <= 1000, written + " syslog lines for a flood of " + flood);
        } finally {
            LAB.lab().exec("phone", "ip", "addr", "del", OUTSIDER + "/24", "dev", "eth0");
        }
    }

    @Test
    void anInformFromTheVpnSideIsNotAnsweredEvenWithALanSource() throws Exception {
        String lanClient = "198.18.1.77";
        long answered = metric("sipbridge_dhcp_answered_total");
        long informs = metric("sipbridge_dhcp_informs_total");
        // From the PBX's namespace, broadcast on the VPN link: first with its own address, then forging a LAN one.
        sendInform("pbx", "eth0", LAB.lab().fact("PBX_IP"), lanClient, 1, "Polycom-VVX450");
        sendInform("pbx", "eth0", lanClient, lanClient, 1, "Polycom-VVX450");
        Thread.sleep(1000);
        System.out.printf(
                "VPN-side INFORMs: %d reached the responder, %d answered%n",
                metric("sipbridge_dhcp_informs_total") - informs, metric("sipbridge_dhcp_answered_total") - answered);
        assertEquals(
                answered,
                metric("sipbridge_dhcp_answered_total"),
                "an INFORM that arrived on the VPN adapter was answered");

        // The same INFORM from the phone's LAN is answered: the refusal above is about where it came from.
        sendInform("phone", "eth0", LAB.lab().fact("PHONE_IP"), LAB.lab().fact("PHONE_IP"), 1, "Polycom-VVX450");
        assertEquals(answered + 1, awaitMetric("sipbridge_dhcp_answered_total", answered + 1));
    }

    @Test
    void anInformOnTheLanWhoseSourceIsNotItsClientAddressIsNotAnswered() throws Exception {
        long answered = metric("sipbridge_dhcp_answered_total");
        long informs = metric("sipbridge_dhcp_informs_total");
        // A second LAN device asks on the phone's behalf: ciaddr is the phone's, the IP source is its own.
        sendInform("phone", "eth0", "198.18.1.77", LAB.lab().fact("PHONE_IP"), 1, "Polycom-VVX450");
        awaitMetric("sipbridge_dhcp_informs_total", informs + 1);
        Thread.sleep(300);
        assertEquals(answered, metric("sipbridge_dhcp_answered_total"), "an INFORM with a forged source was answered");
        assertEquals(1, metric("sipbridge_dhcp_ignored_total{reason=\"source_mismatch\"}"));
    }

    @Test
    void syslogFromOutsideTheLanSubnetOrTooLargeIsDropped() throws Exception {
        String bridgeVpn = LAB.lab().fact("BRIDGE_VPN_IP");
        assertEquals(
                0,
                LAB.lab()
                        .exec("pbx", "ip", "route", "add", "198.18.1.0/24", "via", bridgeVpn)
                        .exitCode());
        assertEquals(
                0,
                LAB.lab()
                        .exec("phone", "ip", "addr", "add", OUTSIDER + "/24", "dev", "eth0")
                        .exitCode());
        try {
            int before = lines("syslog.log").size();
            sendSyslog("pbx", LAB.lab().fact("PBX_IP"), 3, 100); // a VPN host that routes to the LAN address
            sendSyslog("phone", OUTSIDER, 3, 100); // a LAN device outside the LAN subnet
            sendSyslog("phone", LAB.lab().fact("PHONE_IP"), 1, 3000); // the phone, but over the size limit
            sendSyslog("phone", LAB.lab().fact("PHONE_IP"), 1, 100); // the phone, within limits: kept
            List<String> lines = List.of();
            for (int i = 0; i < 30 && lines.size() <= before; i++) {
                Thread.sleep(100);
                lines = lines("syslog.log");
            }
            Thread.sleep(500);
            List<String> added =
                    lines("syslog.log").subList(before, lines("syslog.log").size());
            assertEquals(1, added.size(), String.join("\n", added));
            assertTrue(
                    added.get(0).contains(LAB.lab().fact("PHONE_IP") + " ")
                            && added.get(0).length() < 400,
                    added.get(0));
        } finally {
            LAB.lab().exec("pbx", "ip", "route", "del", "198.18.1.0/24", "via", bridgeVpn);
            LAB.lab().exec("phone", "ip", "addr", "del", OUTSIDER + "/24", "dev", "eth0");
        }
    }
}
