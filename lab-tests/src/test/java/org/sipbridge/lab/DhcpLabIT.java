package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real DHCP client (scapy) in the phone namespace: a DHCPINFORM gets the bridge's provisioning
 * URL in option 160, unicast to the phone; DISCOVER, REQUEST and a stranger's INFORM get nothing; a
 * second LAN device's flood of INFORMs neither silences the phone nor fills the log.
 */
class DhcpLabIT {

    private static final String POLYCOM_MAC = "00:04:f2:aa:bb:cc";

    @RegisterExtension
    static final BridgeLab LAB = BridgeLab.bridge("dh", "");

    private static JsonNode client(String kind, String ciaddr) throws Exception {
        LabNetwork.Result result = LAB.lab()
                .exec(
                        "phone",
                        "/usr/bin/python3",
                        LabNetwork.REPO.resolve("lab/dhcp/client.py").toString(),
                        kind,
                        "eth0",
                        ciaddr,
                        POLYCOM_MAC,
                        "3");
        assertEquals(0, result.exitCode(), result.output());
        String json = result.output()
                .lines()
                .filter(l -> l.startsWith("{"))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no JSON from client.py: " + result.output()));
        return new ObjectMapper().readTree(json);
    }

    @Test
    void anInformGetsTheProvisioningUrlInOption160() throws Exception {
        JsonNode reply = client("inform", LAB.lab().fact("PHONE_IP"));
        assertTrue(
                reply.path("answered").asBoolean(),
                reply.toString() + LAB.daemon().process().output());
        assertEquals(LAB.lab().fact("PHONE_IP"), reply.path("ipDst").asText(), "unicast to ciaddr");
        assertEquals(68, reply.path("udpDport").asInt());
        assertEquals(2, reply.path("op").asInt());
        assertEquals(0x5B1D6E01L, reply.path("xid").asLong());
        assertEquals("0.0.0.0", reply.path("yiaddr").asText());
        assertEquals(POLYCOM_MAC, reply.path("chaddr").asText());
        JsonNode options = reply.path("options");
        assertEquals("5", options.path("53").asText(), "DHCPACK");
        assertEquals(LAB.lab().fact("BRIDGE_LAN_IP"), options.path("54").asText(), "server identifier");
        assertEquals(
                "http://" + LAB.lab().fact("BRIDGE_LAN_IP") + ":8088/",
                options.path("160").asText(),
                options.toString());
        assertFalse(options.has("51"), "an INFORM answer carries no lease");
    }

    /**
     * Another device on the LAN (a second address in the phone's namespace, another MAC) sends 2000
     * valid DHCPINFORMs, each answered to itself. The phone's INFORM sent meanwhile is answered within
     * client.py's 3 s, the log grows by a few summarised lines, and the responder's thread CPU time for
     * the flood is printed (it was one adapter listing per INFORM before the listing was kept for a second).
     */
    @Test
    void aFloodFromAnotherLanDeviceLeavesThePhoneAnsweredAndTheLogSmall() throws Exception {
        int flood = 2000;
        String device = "198.18.1.20";
        assertEquals(
                0,
                LAB.lab()
                        .exec("phone", "ip", "addr", "add", device + "/24", "dev", "eth0")
                        .exitCode());
        try {
            long pid = LAB.daemon().process().pid();
            Path log = LAB.dir().resolve("bridge/data/logs/sipbridge.log");
            long logBefore = Files.size(log);
            long informsBefore = metric("sipbridge_dhcp_informs_total");
            long cpuBefore = responderCpuTicks(pid);
            CompletableFuture<LabNetwork.Result> flooding = CompletableFuture.supplyAsync(() -> {
                try {
                    return LAB.lab()
                            .exec(
                                    "phone",
                                    "/usr/bin/python3",
                                    LabNetwork.REPO
                                            .resolve("lab/dhcp/send_inform.py")
                                            .toString(),
                                    "eth0",
                                    device,
                                    device,
                                    "02:00:00:00:01:20",
                                    Integer.toString(flood));
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            for (int i = 0; i < 100 && metric("sipbridge_dhcp_informs_total") < informsBefore + 50; i++) {
                Thread.sleep(100); // the flood has begun
            }
            JsonNode reply = client("inform", LAB.lab().fact("PHONE_IP"));
            assertEquals(0, flooding.get().exitCode(), flooding.get().output());
            long seen = informsBefore;
            for (int i = 0; i < 100 && seen < informsBefore + flood + 1; i++) {
                Thread.sleep(100);
                seen = metric("sipbridge_dhcp_informs_total");
            }
            Thread.sleep(500);
            long cpuMs = (responderCpuTicks(pid) - cpuBefore) * 10; // USER_HZ is 100 on Linux
            long grown = Files.size(log) - logBefore;
            long informLines = Files.readAllLines(log).stream()
                    .filter(line -> line.contains("DHCPINFORM from 02:00:00:00:01:20"))
                    .count();
            System.out.printf(
                    "DHCP flood from another LAN device: %d INFORMs seen, responder thread %d ms CPU "
                            + "(%.1f ms per 1000), %d log lines naming the device, sipbridge.log grew %d bytes%n",
                    seen - informsBefore,
                    cpuMs,
                    cpuMs * 1000.0 / Math.max(1, seen - informsBefore),
                    informLines,
                    grown);
            assertTrue(reply.path("answered").asBoolean(), "the phone is answered during the flood: " + reply);
            assertEquals(0x5B1D6E01L, reply.path("xid").asLong(), "the phone's own answer");
            assertTrue(seen - informsBefore > flood / 2, "the flood reached the bridge: " + (seen - informsBefore));
            assertTrue(informLines <= 10, informLines + " log lines for the flood"); // 5 a minute, then a summary
            assertTrue(grown < 20_000, "sipbridge.log grew by " + grown + " bytes");
        } finally {
            LAB.lab().exec("phone", "ip", "addr", "del", device + "/24", "dev", "eth0");
        }
    }

    /** The value of one metric sample on /metrics now (0 when absent). */
    private static long metric(String sample) throws Exception {
        Matcher value = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\d+)")
                .matcher(LAB.daemon().getText("/metrics"));
        return value.find() ? Long.parseLong(value.group(1)) : 0;
    }

    /** utime + stime, in clock ticks, of the daemon's dhcp-responder event-loop thread. */
    private static long responderCpuTicks(long pid) throws Exception {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                if (Files.readString(task.resolve("comm")).startsWith("dhcp-responder")) {
                    String stat = Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // stat fields 14 and 15
                }
            }
        }
        throw new AssertionError("no dhcp-responder thread in process " + pid);
    }

    @Test
    void discoverRequestAndStrangersGetNoAnswer() throws Exception {
        assertFalse(
                client("discover", LAB.lab().fact("PHONE_IP")).path("answered").asBoolean(),
                "never a rogue DHCP server");
        assertFalse(
                client("request", LAB.lab().fact("PHONE_IP")).path("answered").asBoolean());
        assertEquals(
                0,
                LAB.lab()
                        .exec("phone", "ip", "addr", "add", "198.18.9.10/24", "dev", "eth0")
                        .exitCode());
        try {
            assertFalse(client("inform", "198.18.9.10").path("answered").asBoolean(), "ciaddr outside the LAN subnet");
        } finally {
            LAB.lab().exec("phone", "ip", "addr", "del", "198.18.9.10/24", "dev", "eth0");
        }
    }
}
