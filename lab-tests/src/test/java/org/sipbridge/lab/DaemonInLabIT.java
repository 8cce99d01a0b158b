package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar in the bridge namespace, with its adapters given by interface name: the status API
 * shows both adapters resolved and the Not Ready reasons a bridge without a registered phone has.
 */
class DaemonInLabIT {

    private static LabNetwork lab;
    private static LabProcess pbx;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startLab() throws Exception {
        lab = LabNetwork.up("dl" + ProcessHandle.current().pid() % 100000);
        pbx = lab.start(
                "pbx",
                dir.resolve("kamailio"),
                Map.of(),
                LabNetwork.REPO.resolve("lab/kamailio/run.sh").toString(),
                lab.fact("PBX_IP"),
                "5060",
                dir.resolve("kamailio/run").toString());
        pbx.awaitOutput("INFO: <core>", Duration.ofSeconds(20));
    }

    @AfterAll
    static void stopLab() throws Exception {
        if (lab == null) {
            return;
        }
        String prefix = lab.prefix();
        lab.close();
        assertEquals(List.of(), lab.remainingNamespaces(), "namespaces left behind");
        LabNetwork.Result leftovers = LabNetwork.run(List.of("pgrep", "-f", "sipbridge.jar run --config " + dir), 10);
        assertEquals("", leftovers.output().trim(), "processes left behind by lab " + prefix);
    }

    private static String config(String lan, String vpn) {
        return """
                {"bridge": {"name": "lab bridge", "servers": ["%s:5060"], "lanAdapter": "%s", "vpnAdapter": "%s"},
                 "web": {"bindAddress": "127.0.0.1", "port": 8080}}
                """.formatted(lab.fact("PBX_IP"), lan, vpn);
    }

    private static List<String> messages(JsonNode reasons) {
        List<String> messages = new ArrayList<>();
        reasons.forEach(reason -> messages.add(reason.path("message").asText()));
        return messages;
    }

    @Test
    void adaptersGivenByInterfaceNameResolveAndTheReasonsAreTheExpectedOnes() throws Exception {
        try (BridgeDaemon daemon =
                BridgeDaemon.start(lab, dir.resolve("by-name"), config(lab.fact("LAN_IF"), lab.fact("VPN_IF")))) {
            JsonNode status = daemon.status();
            assertEquals("lab bridge", status.path("bridgeName").asText());
            JsonNode lan = status.path("lanAdapter");
            assertTrue(lan.path("resolved").asBoolean(), lan::toString);
            assertEquals("eth0", lan.path("name").asText());
            assertEquals(lab.fact("BRIDGE_LAN_IP"), lan.path("address").asText());
            assertEquals("198.18.1.0/24", lan.path("subnet").asText());
            JsonNode vpn = status.path("vpnAdapter");
            assertTrue(vpn.path("resolved").asBoolean(), vpn::toString);
            assertEquals("tun0", vpn.path("name").asText());
            assertEquals(lab.fact("BRIDGE_VPN_IP"), vpn.path("address").asText());
            assertEquals("198.19.2.0/24", vpn.path("subnet").asText());

            assertEquals("NOT_READY", status.path("state").asText());
            List<String> reasons = messages(status.path("reasons"));
            // Until the first OPTIONS answer the server is not yet known to be up.
            if (reasons.size() == 2) {
                assertEquals(
                        "Not connected to any server of the registration group (" + lab.fact("PBX_IP") + ":5060)",
                        reasons.get(0));
                reasons = reasons.subList(1, 2);
            }
            assertEquals(List.of("The phone has not registered with the bridge"), reasons);
            JsonNode phoneReason =
                    status.path("reasons").path(status.path("reasons").size() - 1);
            assertEquals(
                    "Check that the phone is powered, on the home network, and uses " + lab.fact("BRIDGE_LAN_IP")
                            + " as its SIP server (or provisions through the bridge).",
                    phoneReason.path("fix").asText());
            // Managed provisioning is on by default, with no upstream yet: a warning, never Not Ready.
            assertEquals(List.of("provisioning upstream not configured"), messages(status.path("warnings")));
        }
    }

    @Test
    void aMissingAdapterAndOverlappingSubnetsAreNamed() throws Exception {
        try (BridgeDaemon daemon = BridgeDaemon.start(lab, dir.resolve("missing"), config("eth0", "wg0"))) {
            List<String> reasons = messages(daemon.status().path("reasons"));
            assertEquals("The VPN adapter \"wg0\" cannot be used: no adapter named wg0", reasons.get(0));
        }
        // A VPN that hands out a /15 covering the home LAN: the classic "bridge registers, phone does not".
        assertEquals(
                0,
                lab.exec("bridge", "ip", "addr", "add", "198.18.200.1/15", "dev", "tun0")
                        .exitCode());
        try (BridgeDaemon daemon = BridgeDaemon.start(lab, dir.resolve("overlap"), config("eth0", "198.18.200.1"))) {
            List<String> reasons = messages(daemon.status().path("reasons"));
            assertEquals(
                    "The home network and the VPN use the same addresses: the LAN subnet 198.18.1.0/24 (eth0) "
                            + "overlaps the VPN subnet 198.18.0.0/15 (tun0)",
                    reasons.get(0));
        } finally {
            lab.exec("bridge", "ip", "addr", "del", "198.18.200.1/15", "dev", "tun0");
        }
    }

    @Test
    void sigtermStopsTheDaemonInTheNamespaceWithinFiveSeconds() throws Exception {
        BridgeDaemon daemon = BridgeDaemon.start(lab, dir.resolve("stop"), config("eth0", "tun0"));
        long started = System.nanoTime();
        int exit = daemon.process().stop(Duration.ofSeconds(10));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis < 5_000, "stopping took " + millis + " ms");
        assertEquals(143, exit, daemon.process().output());
        assertTrue(
                daemon.process().output().contains("sipbridge stopped"),
                daemon.process().output());
    }
}
