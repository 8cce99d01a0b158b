package org.sipbridge.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged sipbridge.jar running in the lab's bridge namespace, as a phone's owner would run it. */
final class BridgeDaemon implements AutoCloseable {

    static final Path JAR = LabNetwork.REPO.resolve("bridge-daemon/target/sipbridge.jar");
    /** The JVM options every launcher of the bridge uses (the .deb's, the installers', the docs'). */
    static final Path JVM_OPTIONS = LabNetwork.REPO.resolve("packaging/sipbridge.jvmopts");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LabNetwork lab;
    /** The namespace it runs in: "bridge", or another home's bridge in the fleet lab. */
    private final String host;

    private final LabProcess process;
    private final int webPort;
    /** HTTP Basic for the local UI's API once an administrator login is set ("user:password"), else null. */
    private volatile String login;

    private BridgeDaemon(LabNetwork lab, String host, LabProcess process, int webPort) {
        this.lab = lab;
        this.host = host;
        this.process = process;
        this.webPort = webPort;
    }

    /** Writes {@code configJson} and starts the daemon with it; returns once the status API answers. */
    static BridgeDaemon start(LabNetwork lab, Path workDir, String configJson) throws Exception {
        return start(lab, workDir, configJson, Map.of());
    }

    /** As {@link #start(LabNetwork, Path, String)}, with extra environment (e.g. DISPLAY for the tray). */
    static BridgeDaemon start(LabNetwork lab, Path workDir, String configJson, Map<String, String> env)
            throws Exception {
        return start(lab, "bridge", workDir, configJson, env);
    }

    /** As {@link #start(LabNetwork, Path, String)}, in {@code host}'s namespace (e.g. "bridge2" of lab/fleet). */
    static BridgeDaemon start(LabNetwork lab, String host, Path workDir, String configJson, Map<String, String> env)
            throws Exception {
        Files.createDirectories(workDir);
        Path config = workDir.resolve("sipbridge.json");
        Files.writeString(config, configJson);
        int webPort = JSON.readTree(configJson).path("web").path("port").asInt(8080);
        LabProcess process = lab.start(
                host,
                workDir,
                withLockFile(env, workDir),
                command(
                        "run",
                        "--config",
                        config.toString(),
                        "--data-dir",
                        workDir.resolve("data").toString()));
        // generous: under heavy load (2 cores, load 40) generating the listeners' certificates alone took > 30 s
        process.awaitOutput("Web UI: http://", Duration.ofSeconds(120));
        return new BridgeDaemon(lab, host, process, webPort);
    }

    /** {@code java <shipped JVM options> -jar sipbridge.jar <arguments>}: the bridge as users run it. */
    static String[] command(String... arguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + JVM_OPTIONS,
                "-jar",
                JAR.toString()));
        command.addAll(List.of(arguments));
        return command.toArray(String[]::new);
    }

    private static Map<String, String> withLockFile(Map<String, String> env, Path workDir) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("SIPBRIDGE_LOCK_FILE", workDir.resolve("sipbridge.lock").toString());
        return all;
    }

    /** GET /api/status, fetched from inside the bridge namespace (the UI listens on its 127.0.0.1). */
    JsonNode status() throws IOException, InterruptedException {
        return get("/api/status");
    }

    /** GET of an API path, from inside the bridge namespace. */
    JsonNode get(String path) throws IOException, InterruptedException {
        return JSON.readTree(getText(path));
    }

    /** GET of an API path until {@code condition} holds; fails with the last answer and the daemon's output. */
    JsonNode await(String path, java.util.function.Predicate<JsonNode> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode answer = get(path);
        while (!condition.test(answer)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        path + " never matched within " + timeout + ": " + answer + "\n" + process.output());
            }
            Thread.sleep(250);
            answer = get(path);
        }
        return answer;
    }

    /** GET of any path (e.g. {@code /metrics}) as text, from inside the bridge namespace. */
    String getText(String path) throws IOException, InterruptedException {
        List<String> curl = new ArrayList<>(List.of("curl", "-sS", "--max-time", "5"));
        if (login != null) {
            curl.addAll(List.of("-u", login));
        }
        curl.add("http://127.0.0.1:" + webPort + path);
        LabNetwork.Result result = lab.exec(host, curl.toArray(String[]::new));
        if (result.exitCode() != 0) {
            throw new AssertionError(path + " did not answer: " + result.output() + "\n" + process.output());
        }
        return result.output();
    }

    /**
     * POST /api/admin/credentials on the local UI as the Administration page does it; {@code auth} are
     * extra curl arguments (e.g. {@code -u user:password} once a login is set).
     */
    String changeCredentials(String body, String... auth) throws IOException, InterruptedException {
        return send("POST", "/api/admin/credentials", body, auth);
    }

    /**
     * A JSON request to the local UI as its pages make it (session cookie + CSRF token); {@code auth}
     * are extra curl arguments. Returns curl's output ending with the HTTP status on its own line.
     */
    String send(String method, String path, String body, String... auth) throws IOException, InterruptedException {
        String base = "http://127.0.0.1:" + webPort;
        String script = "jar=$(mktemp) && t=$(curl -sS -c \"$jar\" " + base + "/api/session"
                + " | sed -n 's/.*\"csrfToken\" *: *\"\\([^\"]*\\)\".*/\\1/p') && curl -sS --max-time 30 -b \"$jar\""
                + " -X " + method + " -H \"X-CSRF-Token: $t\" -H 'Content-Type: application/json' -w '\\n%{http_code}' "
                + String.join(" ", auth) + " --data-binary \"$1\" " + base + path + "; rm -f \"$jar\"";
        return lab.exec(host, "sh", "-c", script, "sh", body).output().trim();
    }

    /** From now on the API calls of this class authenticate with HTTP Basic (a login was set). */
    void useLogin(String user, String password) {
        login = user + ":" + password;
    }

    LabProcess process() {
        return process;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
