package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of lab tests with one lab and one Kamailio PBX for the whole class and one bridge per test.
 * A subclass starts the lab from its own {@code @BeforeAll} with {@link #startLab(String)}.
 */
abstract class PbxLabTest {

    static LabNetwork lab;
    static Kamailio pbx;

    @TempDir
    static Path dir;

    BridgeDaemon daemon;

    /** The lab under the namespace prefix {@code letters} + pid, with Kamailio on the PBX address. */
    static void startLab(String letters) throws Exception {
        lab = LabNetwork.up(letters + ProcessHandle.current().pid() % 100000);
        pbx = Kamailio.start(lab, dir.resolve("kamailio"), lab.fact("PBX_IP"), 5060);
    }

    @AfterAll
    static void stopLab() throws Exception {
        if (lab != null) {
            lab.close();
            assertEquals(List.of(), lab.remainingNamespaces());
            lab = null;
        }
    }

    @AfterEach
    void stopDaemon() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    /** A bridge with the lab PBX as its server and {@code stations} (a JSON array), once the PBX answers its OPTIONS. */
    BridgeDaemon startBridge(String name, String stations) throws Exception {
        daemon = BridgeDaemon.start(lab, dir.resolve(name), """
                {"bridge": {"servers": ["%s:5060"], "lanAdapter": "eth0", "vpnAdapter": "tun0"},
                 "stations": %s}
                """.formatted(lab.fact("PBX_IP"), stations));
        awaitServerState("UP");
        return daemon;
    }

    /** The state of the bridge's first server in /api/status. */
    String serverState() throws Exception {
        return daemon.status().path("servers").path(0).path("state").asText();
    }

    void awaitServerState(String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!state.equals(serverState())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server never became " + state + ": " + daemon.status() + "\n"
                        + daemon.process().output());
            }
            Thread.sleep(200);
        }
    }
}
