package org.sipbridge.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What a running daemon holds, to compare before and after an attack: open file descriptors and
 * threads (from /proc/&lt;pid&gt;), free RTP port pairs and active calls (from its /metrics).
 * Threads are the bridge's own: the JVM's garbage-collector and JIT-compiler workers are left out,
 * because HotSpot starts and parks them elastically with load (a G1 refinement thread started
 * during a fuzz run stays), so they say nothing about a leak in the bridge.
 */
record DaemonSample(long fds, long threads, long freePortPairs, long callsActive) {

    static DaemonSample of(BridgeDaemon daemon) throws IOException, InterruptedException {
        long pid = daemon.process().pid();
        String metrics = daemon.getText("/metrics");
        return new DaemonSample(
                count(Path.of("/proc", String.valueOf(pid), "fd")),
                bridgeThreads(Path.of("/proc", String.valueOf(pid), "task")),
                metric(metrics, "sipbridge_media_free_port_pairs"),
                metric(metrics, "sipbridge_calls_active"));
    }

    /** How much more this sample holds than {@code baseline} (fewer free ports count as more held). */
    DaemonSample minus(DaemonSample baseline) {
        return new DaemonSample(
                fds - baseline.fds,
                threads - baseline.threads,
                baseline.freePortPairs - freePortPairs,
                callsActive - baseline.callsActive);
    }

    /** True when nothing here exceeds {@code tolerance} (same fields, as allowed growth). */
    boolean within(DaemonSample tolerance) {
        return fds <= tolerance.fds
                && threads <= tolerance.threads
                && freePortPairs <= tolerance.freePortPairs
                && callsActive <= tolerance.callsActive;
    }

    static DaemonSample max(DaemonSample a, DaemonSample b) {
        return new DaemonSample(
                Math.max(a.fds, b.fds),
                Math.max(a.threads, b.threads),
                Math.min(a.freePortPairs, b.freePortPairs),
                Math.max(a.callsActive, b.callsActive));
    }

    private static long count(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.count();
        }
    }

    /** The bridge's threads by name (digits folded to N, so pool threads group), to name what a leak holds. */
    static java.util.Map<String, Long> threadNames(BridgeDaemon daemon) throws IOException {
        try (Stream<Path> entries =
                Files.list(Path.of("/proc", String.valueOf(daemon.process().pid()), "task"))) {
            return entries.map(DaemonSample::threadName)
                    .filter(name -> name != null && !isJvmWorker(name))
                    .map(name -> name.replaceAll("[0-9]+", "N"))
                    .collect(java.util.stream.Collectors.groupingBy(
                            name -> name, java.util.TreeMap::new, java.util.stream.Collectors.counting()));
        }
    }

    /** Threads of the process except HotSpot's elastic GC and JIT workers (names as in /proc, 15 chars). */
    static long bridgeThreads(Path tasks) throws IOException {
        try (Stream<Path> entries = Files.list(tasks)) {
            return entries.map(DaemonSample::threadName)
                    .filter(name -> name != null && !isJvmWorker(name))
                    .count();
        }
    }

    static boolean isJvmWorker(String name) {
        return name.startsWith("GC Thread#")
                || name.startsWith("G1 ")
                || name.startsWith("C1 CompilerThre")
                || name.startsWith("C2 CompilerThre");
    }

    /** The thread's name, or null when it ended between listing and reading (so it is not held). */
    private static String threadName(Path task) {
        try {
            return Files.readString(task.resolve("comm")).strip();
        } catch (IOException gone) {
            return null;
        }
    }

    /** The value of an unlabelled metric line, or -1 when the daemon does not export it. */
    static long metric(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ")) {
                return (long)
                        Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return -1;
    }
}
