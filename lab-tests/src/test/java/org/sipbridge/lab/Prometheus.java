package org.sipbridge.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Prometheus server (Debian's {@code prometheus}) in a lab namespace, with the configuration
 * the test writes; queried through its HTTP API with curl from the same namespace.
 */
final class Prometheus implements AutoCloseable {

    static final int PORT = 9090;
    private static final String NOT_READY_FOR = "        for: 2m\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LabNetwork lab;
    private final String host;
    private final String address;
    private final LabProcess process;

    private Prometheus(LabNetwork lab, String host, String address, LabProcess process) {
        this.lab = lab;
        this.host = host;
        this.address = address;
        this.process = process;
    }

    /** Starts Prometheus in {@code host}'s namespace on {@code address}:9090 with {@code config}; returns once it is ready. */
    static Prometheus start(LabNetwork lab, String host, String address, Path config, Path workDir) throws Exception {
        LabProcess process = lab.start(
                host,
                workDir,
                Map.of(),
                "prometheus",
                "--config.file=" + config,
                "--storage.tsdb.path=" + workDir.resolve("data"),
                "--web.listen-address=" + address + ":" + PORT,
                "--web.console.templates=" + workDir,
                "--web.console.libraries=" + workDir);
        process.awaitOutput("Server is ready to receive web requests.", Duration.ofSeconds(60));
        return new Prometheus(lab, host, address, process);
    }

    /** GET /api/v1/{@code path}: the {@code data} member of a successful answer. */
    JsonNode api(String path) throws IOException, InterruptedException {
        LabNetwork.Result result =
                lab.exec(host, "curl", "-sS", "--max-time", "10", "http://" + address + ":" + PORT + "/api/v1/" + path);
        JsonNode answer = JSON.readTree(result.output());
        if (!"success".equals(answer.path("status").asText())) {
            throw new AssertionError("Prometheus API " + path + ": " + result.output());
        }
        return answer.path("data");
    }

    /** An instant query's result vector. */
    JsonNode query(String promql) throws IOException, InterruptedException {
        return api("query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
                .path("result");
    }

    /**
     * The shipped example configuration (packaging/monitoring) for the lab, written to {@code work}: the
     * bridges' certificates as its CA file, {@code user}'s password file, {@code targetsYaml} as the
     * file-based discovery list, everything scraped and evaluated every 2 s, and the shipped alert rules
     * with SipbridgeNotReady's 2 minutes shortened to 10 s (promtool's unit tests check the 2 minutes).
     */
    static Path labConfig(Path work, String user, String password, List<Path> bridgeCertificates, String targetsYaml)
            throws IOException {
        Path monitoring = LabNetwork.REPO.resolve("packaging/monitoring");
        Files.createDirectories(work);
        Files.writeString(work.resolve("targets.yml"), targetsYaml);
        Files.writeString(work.resolve("password"), password);
        StringBuilder certificates = new StringBuilder();
        for (Path certificate : bridgeCertificates) {
            certificates.append(Files.readString(certificate));
        }
        Files.writeString(work.resolve("bridges.pem"), certificates);
        String rules = Files.readString(monitoring.resolve("sipbridge-alerts.yml"));
        if (!rules.contains(NOT_READY_FOR)) {
            throw new IllegalStateException("the Not Ready rule's duration changed: " + rules);
        }
        Files.writeString(
                work.resolve("sipbridge-alerts.yml"), rules.replaceFirst(NOT_READY_FOR, "        for: 10s\n"));
        String config = Files.readString(monitoring.resolve("prometheus-sipbridge.example.yml"))
                .replace("scrape_interval: 60s", "scrape_interval: 2s")
                .replace("evaluation_interval: 30s", "evaluation_interval: 2s")
                .replace("scrape_timeout: 10s", "scrape_timeout: 2s")
                .replace("username: admin", "username: " + user)
                .replace(
                        "/etc/prometheus/sipbridge.password",
                        work.resolve("password").toString())
                .replace(
                        "/etc/prometheus/sipbridge-bridges.pem",
                        work.resolve("bridges.pem").toString())
                .replace(
                        "/etc/prometheus/sipbridge-targets/*.yml",
                        work.resolve("targets.yml").toString())
                .replace("refresh_interval: 5m", "refresh_interval: 2s");
        Path file = work.resolve("prometheus.yml");
        Files.writeString(file, config);
        return file;
    }

    /** The result vector of {@code promql} once it is not empty. */
    JsonNode awaitResult(String promql, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode result = query(promql);
        while (result.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no result for " + promql + " within " + timeout + "; targets: "
                        + api("targets") + "\n" + process.output());
            }
            Thread.sleep(1000);
            result = query(promql);
        }
        return result;
    }

    /** The first firing alert named {@code alert} whose labels include {@code labels}, once there is one. */
    JsonNode awaitFiring(String alert, Map<String, String> labels, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode one : api("alerts").path("alerts")) {
                if (alert.equals(one.path("labels").path("alertname").asText())
                        && "firing".equals(one.path("state").asText())
                        && labels.entrySet().stream()
                                .allMatch(l -> l.getValue()
                                        .equals(one.path("labels")
                                                .path(l.getKey())
                                                .asText()))) {
                    return one;
                }
            }
            Thread.sleep(1000);
        }
        throw new AssertionError(alert + " " + labels + " did not fire within " + timeout + ": " + api("alerts"));
    }

    LabProcess process() {
        return process;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
