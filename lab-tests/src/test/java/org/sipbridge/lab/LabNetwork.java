package org.sipbridge.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The lab topology of lab/topology.sh (phone | bridge with a LAN and a VPN adapter | PBX, in network
 * namespaces) for one test class. Closing it kills every process left in the namespaces and deletes
 * them; a JVM shutdown hook does the same if the test run itself is interrupted.
 */
final class LabNetwork implements AutoCloseable {

    static final Path REPO =
            Path.of(System.getProperty("sipbridge.repo", "..")).toAbsolutePath().normalize();
    private static final Path TOPOLOGY = REPO.resolve("lab/topology.sh");

    private final Path topology;
    private final String prefix;
    private final Map<String, String> facts;
    private final Thread cleanup;

    private LabNetwork(Path topology, String prefix, Map<String, String> facts) {
        this.topology = topology;
        this.prefix = prefix;
        this.facts = facts;
        this.cleanup = new Thread(this::down, "lab-cleanup-" + prefix);
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** Creates the topology; {@code prefix} is 1-8 characters [a-z0-9], unique per concurrent lab. */
    static LabNetwork up(String prefix) throws IOException, InterruptedException {
        return up(TOPOLOGY, prefix);
    }

    /**
     * A topology made by another script with the same {@code up|down <prefix>} contract and
     * {@code KEY=value} output (e.g. lab/openvpn/topology.sh).
     */
    static LabNetwork up(Path topology, String prefix) throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("lab tests need root (network namespaces); run them as root, e.g. in CI");
        }
        Result result = run(List.of(topology.toString(), "up", prefix), 60);
        if (result.exitCode() != 0) {
            run(List.of(topology.toString(), "down", prefix), 60);
            throw new IllegalStateException(topology + " up failed:\n" + result.output());
        }
        Map<String, String> facts = new HashMap<>();
        for (String line : result.output().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                facts.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return new LabNetwork(topology, prefix, facts);
    }

    /** A value printed by topology.sh up: PHONE_IP, BRIDGE_LAN_IP, BRIDGE_VPN_IP, PBX_IP, LAN_IF, VPN_IF... */
    String fact(String key) {
        String value = facts.get(key);
        if (value == null) {
            throw new IllegalArgumentException("topology.sh printed no " + key + ": " + facts);
        }
        return value;
    }

    String namespace(String host) {
        return prefix + "-" + host;
    }

    String prefix() {
        return prefix;
    }

    /** The command line that runs {@code command} inside {@code host}'s namespace. */
    List<String> inHost(String host, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace(host)));
        full.addAll(command);
        return full;
    }

    /** Runs a command inside {@code host}'s namespace to completion. */
    Result exec(String host, String... command) throws IOException, InterruptedException {
        return run(inHost(host, List.of(command)), 60);
    }

    /** Starts a long-running process inside {@code host}'s namespace. */
    LabProcess start(String host, Path workDir, Map<String, String> env, String... command) throws IOException {
        return LabProcess.start(inHost(host, List.of(command)), workDir, env);
    }

    /** The namespaces of this lab that still exist (empty after close). */
    List<String> remainingNamespaces() throws IOException, InterruptedException {
        List<String> remaining = new ArrayList<>();
        for (String line : run(List.of("ip", "netns", "list"), 10).output().split("\n")) {
            String name = line.split(" ")[0];
            if (name.startsWith(prefix + "-")) {
                remaining.add(name);
            }
        }
        return remaining;
    }

    @Override
    public void close() {
        down();
        Runtime.getRuntime().removeShutdownHook(cleanup);
    }

    private void down() {
        try {
            Result result = run(List.of(topology.toString(), "down", prefix), 60);
            if (result.exitCode() != 0) {
                System.err.println("topology.sh down " + prefix + " failed:\n" + result.output());
            }
        } catch (IOException | InterruptedException e) {
            System.err.println("topology.sh down " + prefix + " failed: " + e);
        }
    }

    record Result(int exitCode, String output) {}

    static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("lab-", ".out");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + command);
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
