package org.sipbridge.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar as a user runs it: config handling, exit codes, one instance, clean stop, status API. */
class DaemonProcessIT {

    @TempDir
    Path dir;

    private Map<String, String> env;

    @BeforeEach
    void isolate() {
        env = Map.of(
                "XDG_CONFIG_HOME",
                dir.resolve("xdg-config").toString(),
                "XDG_DATA_HOME",
                dir.resolve("xdg-data").toString(),
                InstanceLock.LOCK_FILE_ENV,
                dir.resolve("sipbridge.lock").toString());
    }

    private Path config(String json) throws Exception {
        Path file = dir.resolve("sipbridge.json");
        Files.writeString(file, json);
        return file;
    }

    private Path configOnFreePort() throws Exception {
        return config("{\"web\": {\"port\": " + DaemonProcess.freePort() + "}}");
    }

    private int webPort(Path config) throws Exception {
        return new ObjectMapper()
                .readTree(config.toFile())
                .path("web")
                .path("port")
                .asInt();
    }

    @Test
    void versionAndHelp() throws Exception {
        DaemonProcess.Result version = DaemonProcess.run(dir, env, "--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.output().startsWith("sipbridge 0."), version.output());
        DaemonProcess.Result help = DaemonProcess.run(dir, env, "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.output().contains("--config=FILE") && help.output().contains("run"), help.output());
    }

    @Test
    void aBadValueExitsTwoNamingTheKey() throws Exception {
        Path file = config("{\"protocols\":{\"udp\":{\"t1Ms\":-5}}}");
        DaemonProcess.Result result = DaemonProcess.run(dir, env, "run", "--config", file.toString());
        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.output().contains("protocols.udp.t1Ms: must be > 0 (was -5)"), result.output());
        assertTrue(!Files.exists(dir.resolve("xdg-data")), "nothing may start on a bad config");
    }

    @Test
    void brokenJsonExitsTwoWithLineAndColumn() throws Exception {
        Path file = config("{\n  \"web\": {\"port\": 8080,,}\n}");
        DaemonProcess.Result result = DaemonProcess.run(dir, env, "--config", file.toString());
        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.output().contains("not valid JSON: line 2, column 24"), result.output());
    }

    @Test
    void aMissingExplicitConfigAndBadUsageExitTwo() throws Exception {
        DaemonProcess.Result missing =
                DaemonProcess.run(dir, env, "--config", dir.resolve("nope.json").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.output().contains("no config file at"), missing.output());
        assertEquals(2, DaemonProcess.run(dir, env, "--colour").exitCode());
    }

    @Test
    void firstStartCreatesTheDefaultConfigInTheXdgFolder() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(dir, env)) {
            daemon.awaitOutput("Started web-admin", Duration.ofSeconds(20));
            Path created = dir.resolve("xdg-config/sipbridge/sipbridge.json");
            assertTrue(Files.exists(created));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(created)));
            assertTrue(Files.readString(created).contains("\"bindAddress\" : \"127.0.0.1\""));
            assertTrue(Files.exists(dir.resolve("xdg-data/sipbridge/logs/sipbridge.log")));
            daemon.terminate();
        }
    }

    @Test
    void startedWithUmask000EverythingItWritesIsOwnerOnly() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.startWithUmask("000", dir, env)) {
            daemon.awaitOutput("Started web-admin", Duration.ofSeconds(20));
            daemon.terminate();
        }
        List<String> wider = new ArrayList<>();
        for (Path top : List.of(dir.resolve("xdg-config/sipbridge"), dir.resolve("xdg-data/sipbridge"))) {
            assertTrue(Files.isDirectory(top), top.toString());
            try (Stream<Path> all = Files.walk(top)) {
                all.forEach(path -> {
                    String mode = mode(path);
                    if (!mode.equals(Files.isDirectory(path) ? "rwx------" : "rw-------")) {
                        wider.add(mode + " " + dir.relativize(path));
                    }
                });
            }
        }
        assertTrue(Files.exists(dir.resolve("xdg-data/sipbridge/logs/sipbridge.log")));
        assertEquals(List.of(), wider, "files and folders others can read, write or enter");
    }

    private static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void statusIsServedAndSigtermStopsWithinFiveSecondsClosingThePort() throws Exception {
        Path file = configOnFreePort();
        int port = webPort(file);
        Path data = dir.resolve("data");
        try (DaemonProcess daemon =
                DaemonProcess.start(dir, env, "run", "--config", file.toString(), "--data-dir", data.toString())) {
            daemon.awaitOutput("Web UI: http://127.0.0.1:" + port + "/", Duration.ofSeconds(20));
            HttpResponse<String> response = DaemonProcess.get("http://127.0.0.1:" + port + "/api/status");
            assertEquals(200, response.statusCode());
            JsonNode status = new ObjectMapper().readTree(response.body());
            assertEquals("NOT_READY", status.path("state").asText());
            assertEquals(
                    "Configuration is not complete: no PBX server is set",
                    status.path("reasons").path(0).path("message").asText());
            assertTrue(status.path("version").asText().startsWith("0."));
            assertTrue(status.has("runningSince") && status.has("servers") && status.has("registrations"));

            HttpResponse<String> metrics = DaemonProcess.get("http://127.0.0.1:" + port + "/metrics");
            assertEquals(200, metrics.statusCode());
            assertEquals(
                    "text/plain; version=0.0.4; charset=utf-8",
                    metrics.headers().firstValue("Content-Type").orElse(""));
            assertTrue(metrics.body().contains("\nsipbridge_ready 0\n"), metrics.body());
            assertTrue(
                    metrics.body().contains("sipbridge_rtp_packets_total{direction=\"phone_to_pbx\"} 0"),
                    metrics.body());
            for (String line : metrics.body().split("\n")) {
                assertTrue(
                        line.startsWith("# HELP sipbridge_")
                                || line.startsWith("# TYPE sipbridge_")
                                || line.matches("sipbridge_[a-z_]+(\\{[^}]*})? [-+0-9.eENaInf]+"),
                        "not a metrics line: " + line);
            }

            long stopMillis = daemon.terminate();
            assertTrue(stopMillis < 5_000, "stopping took " + stopMillis + " ms");
            assertTrue(daemon.output().contains("sipbridge stopped"), daemon.output());
            try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                assertEquals(port, again.getLocalPort());
            }
            assertTrue(Files.readString(data.resolve("logs/sipbridge.log")).contains("Stopped web-admin"));
        }
        try {
            DaemonProcess.get("http://127.0.0.1:" + port + "/api/status");
            throw new AssertionError("still answering after stop");
        } catch (ConnectException expected) {
            // closed, as it should be
        }
    }

    @Test
    void aSecondInstanceExitsThreeNamingTheFirst() throws Exception {
        Path file = configOnFreePort();
        try (DaemonProcess first = DaemonProcess.start(
                dir,
                env,
                "--config",
                file.toString(),
                "--data-dir",
                dir.resolve("d1").toString())) {
            first.awaitOutput("Started web-admin", Duration.ofSeconds(20));
            DaemonProcess.Result second = DaemonProcess.run(
                    dir,
                    env,
                    "--config",
                    file.toString(),
                    "--data-dir",
                    dir.resolve("d2").toString());
            assertEquals(3, second.exitCode(), second.output());
            assertTrue(
                    second.output()
                            .contains("sipbridge is already running on this computer (pid "
                                    + first.process().pid() + ")"),
                    second.output());
            first.terminate();
        }
    }

    @Test
    void aTakenPortIsAReasonAndTheDaemonKeepsRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path file = config("{\"web\": {\"port\": " + taken.getLocalPort() + "}}");
            try (DaemonProcess daemon = DaemonProcess.start(
                    dir,
                    env,
                    "--config",
                    file.toString(),
                    "--data-dir",
                    dir.resolve("d").toString())) {
                daemon.awaitOutput(
                        "web-admin could not start: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                                + ": Address already in use",
                        Duration.ofSeconds(20));
                Thread.sleep(500);
                assertTrue(daemon.process().isAlive(), daemon.output());
                daemon.terminate();
            }
        }
    }
}
