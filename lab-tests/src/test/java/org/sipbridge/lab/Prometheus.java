package org.sipbridge.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real Prometheus server (Debian's {@code prometheus}) in a lab namespace, with the configuration
 * the test writes; queried through its HTTP API with curl from the same namespace.
 */
final class Prometheus implements AutoCloseable {

    static final int PORT = 9090;
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
        LabProcess process = lab.start(host, workDir, Map.of(), "prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + workDir.resolve("data"), "--web.listen-address=" + address + ":" + PORT,
                "--web.console.templates=" + workDir, "--web.console.libraries=" + workDir);
        process.awaitOutput("Server is ready to receive web requests.", Duration.ofSeconds(60));
        return new Prometheus(lab, host, address, process);
    }

    /** GET /api/v1/{@code path}: the {@code data} member of a successful answer. */
    JsonNode api(String path) throws IOException, InterruptedException {
        LabNetwork.Result result = lab.exec(host, "curl", "-sS", "--max-time", "10", "http://" + address + ":" + PORT + "/api/v1/" + path);
        JsonNode answer = JSON.readTree(result.output());
        if (!"success".equals(answer.path("status").asText())) {
            throw new AssertionError("Prometheus API " + path + ": " + result.output());
        }
        return answer.path("data");
    }

    /** An instant query's result vector. */
    JsonNode query(String promql) throws IOException, InterruptedException {
        return api("query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("result");
    }

    LabProcess process() {
        return process;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
