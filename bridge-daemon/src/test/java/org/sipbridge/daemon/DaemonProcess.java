package org.sipbridge.daemon;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real sipbridge.jar in a child process, for tests that treat it as a black box. */
final class DaemonProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "sipbridge.jar");

    private final Process process;
    private final Path output;

    private DaemonProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static DaemonProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
        return start(List.of(), workDir, env, args);
    }

    /** As {@link #start(Path, Map, String...)}, from a shell that first sets {@code umask} (e.g. "000"). */
    static DaemonProcess startWithUmask(String umask, Path workDir, Map<String, String> env, String... args)
            throws IOException {
        return start(List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"), workDir, env, args);
    }

    private static DaemonProcess start(List<String> prefix, Path workDir, Map<String, String> env, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(workDir, "daemon-", ".out");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        return new DaemonProcess(builder.start(), output);
    }

    /** Runs the jar to completion and returns its exit code and output. */
    static Result run(Path workDir, Map<String, String> env, String... args) throws Exception {
        try (DaemonProcess daemon = start(workDir, env, args)) {
            if (!daemon.process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("sipbridge did not exit:\n" + daemon.output());
            }
            return new Result(daemon.process.exitValue(), daemon.output());
        }
    }

    record Result(int exitCode, String output) {}

    String output() throws IOException {
        return Files.readString(output);
    }

    Process process() {
        return process;
    }

    /** Waits until the output contains {@code text}. */
    void awaitOutput(String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("no \"" + text + "\" in output:\n" + output());
            }
            Thread.sleep(50);
        }
    }

    /** SIGTERM, as systemd or Ctrl-C would stop it; returns the milliseconds it took to exit. */
    long terminate() throws Exception {
        long started = System.nanoTime();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("sipbridge ignored SIGTERM:\n" + output());
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Override
    public void close() throws Exception {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
