package org.sipbridge.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A process started for a lab test (Kamailio, SIPp, the daemon), with its output kept in a file. */
final class LabProcess implements AutoCloseable {

    private final Process process;
    private final Path output;
    private final List<String> command;

    private LabProcess(Process process, Path output, List<String> command) {
        this.process = process;
        this.output = output;
        this.command = command;
    }

    static LabProcess start(List<String> command, Path workDir, Map<String, String> env) throws IOException {
        Files.createDirectories(workDir);
        Path output = Files.createTempFile(workDir, "process-", ".out");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        return new LabProcess(builder.start(), output, command);
    }

    /** A process started by the caller (e.g. with a stdin it writes to) whose output goes to {@code output}. */
    static LabProcess adopt(Process process, Path output, List<String> command) {
        return new LabProcess(process, output, command);
    }

    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Waits until the output contains {@code text}; fails with the output if the process dies first. */
    void awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            if (!process.isAlive()) {
                throw new AssertionError(command + " exited (" + process.exitValue() + ") before printing \"" + text
                        + "\":\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "no \"" + text + "\" within " + timeout + " from " + command + ":\n" + output());
            }
            Thread.sleep(50);
        }
    }

    /** SIGTERM, then SIGKILL after the grace period; returns the exit code. */
    int stop(Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop(Duration.ofSeconds(5));
        }
    }
}
