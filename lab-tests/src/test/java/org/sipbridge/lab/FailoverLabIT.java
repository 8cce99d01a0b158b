package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A registration group of two real Kamailio servers: the first stops, the phone stays registered
 * through the second within 5 s; the first comes back and the bridge fails back to it.
 */
class FailoverLabIT {

    @RegisterExtension
    static final BridgeLab LAB = BridgeLab.namespaces("fo");

    private static LabNetwork.Result register(LabNetwork lab, int port) throws Exception {
        return Sipp.run(
                lab,
                "phone",
                "phone-register.xml",
                lab.fact("PHONE_IP"),
                port,
                lab.fact("BRIDGE_LAN_IP") + ":8060",
                "-key",
                "domain",
                "sipbridge.lab",
                "-s",
                "1001",
                "-ap",
                "pass1001");
    }

    private static JsonNode awaitStatus(
            BridgeDaemon daemon, Duration timeout, java.util.function.Predicate<JsonNode> condition, String what)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode status = daemon.status();
        while (!condition.test(status)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within " + timeout + ": " + status);
            }
            Thread.sleep(200);
            status = daemon.status();
        }
        return status;
    }

    @Test
    void thePhoneStaysRegisteredThroughTheSecondServerAndFailsBack() throws Exception {
        failsOverAndBack(LAB.lab(), LAB.dir());
    }

    /** The test on any lab with PBX_IP and PBX2_IP in the office (the veth lab, the OpenVPN lab). */
    static void failsOverAndBack(LabNetwork lab, Path dir) throws Exception {
        String first = lab.fact("PBX_IP") + ":5060";
        String second = lab.fact("PBX2_IP") + ":5060";
        Kamailio pbx1 = Kamailio.start(lab, dir.resolve("k1"), lab.fact("PBX_IP"), 5060);
        try (Kamailio pbx2 = Kamailio.start(lab, dir.resolve("k2"), lab.fact("PBX2_IP"), 5060);
                BridgeDaemon daemon = BridgeDaemon.start(lab, dir.resolve("bridge"), """
                     {"bridge": {"servers": ["%s", "%s"], "lanAdapter": "eth0", "vpnAdapter": "tun0"}}
                     """.formatted(first, second))) {
            awaitStatus(
                    daemon,
                    Duration.ofSeconds(15),
                    s -> "UP".equals(s.path("servers").path(1).path("state").asText()),
                    "both servers up");
            assertEquals(0, register(lab, 5061).exitCode());
            assertEquals(
                    first,
                    daemon.status().path("registrations").path(0).path("server").asText());
            assertTrue(pbx1.locations().stream().anyMatch(l -> l.startsWith("1001 ")));

            pbx1.close();
            long stopped = System.nanoTime();
            LabNetwork.Result again = register(lab, 5061);
            assertEquals(0, again.exitCode(), again.output() + daemon.process().output());
            JsonNode status = daemon.status();
            long seconds = Duration.ofNanos(System.nanoTime() - stopped).toMillis();
            System.out.println(
                    "failover: registered through the second server " + seconds + " ms after the first stopped");
            assertTrue(seconds < 5_000, "took " + seconds + " ms");
            assertEquals(
                    second, status.path("registrations").path(0).path("server").asText(), status.toString());
            // The unanswered REGISTER made the first server suspect; the probe sent at once marks it down.
            awaitStatus(
                    daemon,
                    Duration.ofSeconds(10),
                    s -> "DOWN".equals(s.path("servers").path(0).path("state").asText()),
                    "the first server marked down by its probe");
            assertEquals("READY", status.path("state").asText());
            assertTrue(pbx2.locations().stream()
                    .anyMatch(l -> l.startsWith("1001 ") && l.contains(lab.fact("BRIDGE_VPN_IP"))));

            pbx1 = Kamailio.start(lab, dir.resolve("k1b"), lab.fact("PBX_IP"), 5060);
            long restarted = System.nanoTime();
            awaitStatus(
                    daemon,
                    Duration.ofSeconds(15),
                    s -> s.path("servers").path(0).path("current").asBoolean(),
                    "failed back to the first server");
            System.out.println("failback: first server current again "
                    + Duration.ofNanos(System.nanoTime() - restarted).toMillis() + " ms after it restarted");
            assertEquals(0, register(lab, 5061).exitCode());
            assertEquals(
                    first,
                    daemon.status().path("registrations").path(0).path("server").asText());
        } finally {
            pbx1.close();
        }
    }
}
