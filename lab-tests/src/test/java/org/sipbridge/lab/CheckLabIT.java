package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * `sipbridge check` in the bridge namespace: passes in the healthy lab (Kamailio answering OPTIONS
 * over the VPN), and names the failing item with exit 1 when the PBX is down or the subnets overlap.
 */
class CheckLabIT {

    @RegisterExtension
    static final BridgeLab LAB = BridgeLab.namespaces("ck");

    private static LabNetwork.Result check(String name, String vpnAdapter) throws Exception {
        Path config = LAB.dir().resolve(name + ".json");
        Files.writeString(config, """
                {"bridge": {"servers": ["%s:5060"], "lanAdapter": "eth0", "vpnAdapter": "%s"}}
                """.formatted(LAB.lab().fact("PBX_IP"), vpnAdapter));
        List<String> command = new ArrayList<>(
                List.of("env", "SIPBRIDGE_LOCK_FILE=" + LAB.dir().resolve(name + ".lock")));
        command.addAll(List.of(BridgeDaemon.command("check", "--json", "--config", config.toString())));
        LabNetwork.Result result = LAB.lab().exec("bridge", command.toArray(String[]::new));
        System.out.println("check " + name + " → exit " + result.exitCode() + "\n" + result.output());
        return result;
    }

    private static List<String> failed(LabNetwork.Result result) throws Exception {
        JsonNode report = new ObjectMapper()
                .readTree(result.output().substring(result.output().indexOf('{')));
        List<String> ids = new ArrayList<>();
        report.path("checks").forEach(c -> {
            if ("FAIL".equals(c.path("status").asText())) {
                ids.add(c.path("id").asText());
            }
        });
        return ids;
    }

    @Test
    void passesInTheHealthyLabAndNamesTheFailureWhenThePbxIsDownOrTheSubnetsOverlap() throws Exception {
        try (Kamailio pbx = Kamailio.start(
                LAB.lab(), LAB.dir().resolve("kamailio"), LAB.lab().fact("PBX_IP"), 5060)) {
            LabNetwork.Result healthy = check("healthy", "tun0");
            assertEquals(0, healthy.exitCode(), healthy.output());
            assertEquals(List.of(), failed(healthy));
            assertTrue(healthy.output().contains("RTT "), healthy.output());
        }
        LabNetwork.Result pbxDown = check("pbx-down", "tun0");
        assertEquals(1, pbxDown.exitCode(), pbxDown.output());
        assertEquals(List.of("server:" + LAB.lab().fact("PBX_IP") + ":5060"), failed(pbxDown));

        // A VPN that hands out a /15 covering the home LAN: the classic "bridge registers, phone does not".
        assertEquals(
                0,
                LAB.lab()
                        .exec("bridge", "ip", "addr", "add", "198.18.200.1/15", "dev", "tun0")
                        .exitCode());
        try {
            LabNetwork.Result overlap = check("overlap", "198.18.200.1");
            assertEquals(1, overlap.exitCode(), overlap.output());
            assertTrue(failed(overlap).contains("subnet-overlap"), overlap.output());
        } finally {
            LAB.lab().exec("bridge", "ip", "addr", "del", "198.18.200.1/15", "dev", "tun0");
        }
    }
}
