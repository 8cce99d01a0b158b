package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leak count of the fuzz campaign: the bridge's threads, not HotSpot's elastic GC and JIT workers. */
class DaemonSampleTest {

    @Test
    void countsTheBridgesThreadsAndLeavesOutTheJvmsGcAndCompilerWorkers(@TempDir Path tasks) throws IOException {
        thread(tasks, 1, "java");
        thread(tasks, 2, "sip-relay-1");
        thread(tasks, 3, "VM Thread");
        thread(tasks, 4, "G1 Refine#1");
        thread(tasks, 5, "GC Thread#1");
        thread(tasks, 6, "C2 CompilerThre");
        thread(tasks, 7, "C1 CompilerThre");
        Files.createDirectory(tasks.resolve("8")); // ended between listing and reading: no comm

        assertEquals(3, DaemonSample.bridgeThreads(tasks));
    }

    private static void thread(Path tasks, int id, String name) throws IOException {
        Files.writeString(
                Files.createDirectory(tasks.resolve(String.valueOf(id))).resolve("comm"), name + "\n");
    }
}
