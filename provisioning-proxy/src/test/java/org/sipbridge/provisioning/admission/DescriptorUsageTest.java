package org.sipbridge.provisioning.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DescriptorUsageTest {

    @Test
    void readsTheSoftLimitOfOpenFiles() {
        String limits = """
                Limit                     Soft Limit           Hard Limit           Units
                Max processes             62811                62811                processes
                Max open files            1024                 524288               files
                Max locked memory         8388608              8388608              bytes
                """;

        assertEquals(1024, ProcDescriptorCount.softLimit(limits));
        assertEquals(
                0, ProcDescriptorCount.softLimit("Max open files            unlimited            unlimited  files"));
        assertEquals(0, ProcDescriptorCount.softLimit(""));
    }

    @Test
    void countsThisProcessesDescriptorsLikeTheJvm() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "Linux only");
        var jvm = (com.sun.management.UnixOperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        ProcDescriptorCount count = new ProcDescriptorCount();

        assertEquals(jvm.getMaxFileDescriptorCount(), count.max());
        assertTrue(Math.abs(count.open() - jvm.getOpenFileDescriptorCount()) <= 5, "open " + count.open());
        double share = DescriptorUsage.ofThisProcess().share();
        assertTrue(share > 0 && share < 1, "share " + share);
    }

    /** JMX is ~150 classes at the bridge's start for two numbers /proc has (#19). */
    @Test
    void loadsNoJmxOnLinux() throws IOException, InterruptedException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "Linux only");
        Process jvm = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xlog:class+load=info:stdout",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ReadShare.class.getName())
                .redirectErrorStream(true)
                .start();
        List<String> loaded = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .toList();

        assertEquals(0, jvm.waitFor(), String.join("\n", loaded));
        assertTrue(loaded.stream().anyMatch(line -> line.contains("ProcDescriptorCount")));
        assertEquals(
                List.of(),
                loaded.stream()
                        .filter(line -> line.contains("java.lang.management.") || line.contains("sun.management."))
                        .toList());
    }

    /** Run in a fresh JVM by {@link #loadsNoJmxOnLinux}. */
    static final class ReadShare {
        public static void main(String[] args) {
            System.out.println("share " + DescriptorUsage.ofThisProcess().share());
        }
    }
}
