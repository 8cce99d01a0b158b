package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Port hoarding (issue #14): with 100 port pairs, three INVITEs of 16 m-lines each used to leave the phone
 * with "503 No media ports available". Now each is answered 488 by the bridge before it binds a port or
 * reaches the PBX, the free pairs stay at 100, and the phone's own call still goes through.
 */
class MediaHoardingLabIT {

    @TempDir
    static Path dir;

    @Test
    @SuppressWarnings("try") // LabCall.close may throw InterruptedException; the test is the thread's last work
    void invitesWithSixteenStreamsAreRefusedAndLeaveThePortsForThePhone() throws Exception {
        try (LabCall setup = LabCall.registeredPhone("mh", dir, "\"media\": {\"rtpPortRange\": \"20000-20199\"}")) {
            LabNetwork lab = setup.lab;
            BridgeDaemon daemon = setup.daemon;
            assertEquals(100, freePortPairs(daemon));
            for (int attempt = 0; attempt < 3; attempt++) {
                // from the port the phone registered from, so an identity check cannot be what refuses it
                LabNetwork.Result hoard = Sipp.run(lab, "phone", "phone-invite-16-streams.xml", lab.fact("PHONE_IP"), 5061,
                        lab.fact("BRIDGE_LAN_IP") + ":8060", "-key", "domain", "sipbridge.lab", "-key", "caller", "1001",
                        "-s", "2000", "-mi", lab.fact("PHONE_IP"));
                assertEquals(0, hoard.exitCode(), "expected 488 from the bridge:\n" + hoard.output() + "\n"
                        + daemon.process().output());
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (freePortPairs(daemon) != 100 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(100, freePortPairs(daemon), "the refused INVITEs kept ports");
            assertTrue(daemon.process().output().contains("more than media.maxStreamsPerCall (4) allows"),
                    "the refusal is logged with its reason");

            Path scenario = setup.audioCallScenario("phone-call", 1);
            LabProcess callee = setup.echoCallee("callee");
            try {
                LabNetwork.Result call = setup.phoneCalls(scenario, 5062, 1000);
                assertEquals(0, call.exitCode(), call.output() + "\n" + daemon.process().output());
            } finally {
                callee.close();
            }
        }
    }

    private static int freePortPairs(BridgeDaemon daemon) throws Exception {
        Matcher free = Pattern.compile("(?m)^sipbridge_media_free_port_pairs (\\d+)").matcher(daemon.getText("/metrics"));
        assertTrue(free.find(), "no sipbridge_media_free_port_pairs in /metrics");
        return Integer.parseInt(free.group(1));
    }
}
