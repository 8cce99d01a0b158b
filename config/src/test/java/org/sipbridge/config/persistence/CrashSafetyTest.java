package org.sipbridge.config.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipbridge.config.BridgeConfig;

/**
 * Kills a process that keeps saving the config (SIGKILL, at random moments) and checks that the file
 * on disk is always a complete, valid config: the old one or the new one, never a torn mix.
 */
class CrashSafetyTest {

    private static final int KILLS = 25;

    @TempDir
    Path dir;

    @Test
    void killMinusNineAtRandomMomentsNeverLeavesATornFile() throws Exception {
        Path file = dir.resolve("sipbridge.json");
        BridgeConfig[] versions = {SaveLoop.version(0), SaveLoop.version(1)};
        Random random = new Random(42);
        int[] seen = new int[2];
        for (int i = 0; i < KILLS; i++) {
            Process child = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            SaveLoop.class.getName(),
                            file.toString())
                    .redirectErrorStream(true)
                    .start();
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                assertEquals("saving", out.readLine(), "the save loop did not start");
                Thread.sleep(5 + random.nextInt(60));
                child.destroyForcibly();
                assertTrue(child.waitFor(10, TimeUnit.SECONDS));
            }
            BridgeConfig onDisk = ConfigFile.load(file);
            int which = onDisk.equals(versions[0]) ? 0 : 1;
            assertEquals(versions[which], onDisk);
            seen[which]++;
        }
        // Both versions were caught on disk, so kills really landed in the middle of the save loop.
        assertTrue(seen[0] > 0 && seen[1] > 0, () -> "saw only one version: " + seen[0] + "/" + seen[1]);
    }
}
