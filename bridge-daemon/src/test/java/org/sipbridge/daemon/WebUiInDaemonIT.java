package org.sipbridge.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar's web UI wiring: pages from the jar, the config API over the real store, About, Disconnect. */
class WebUiInDaemonIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Keeps the session cookie, as a browser does: changes need the session's CSRF token. */
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();

    private static HttpResponse<String> send(String method, String url, String body) throws Exception {
        String session = CLIENT.send(
                        HttpRequest.newBuilder(URI.create(url).resolve("/api/session"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("\"csrfToken\" ?: ?\"([^\"]+)\"")
                .matcher(session);
        assertTrue(token.find(), session);
        return CLIENT.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("X-CSRF-Token", token.group(1))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pagesConfigAboutAndConnectionWorkInTheJar() throws Exception {
        int port = DaemonProcess.freePort();
        Path config = dir.resolve("sipbridge.json");
        Files.writeString(
                config,
                "{\"web\": {\"port\": " + port
                        + "}, \"stations\": [{\"name\": \"a\", \"userName\": \"1001\", \"password\": \"pw-1001\"}]}");
        Map<String, String> env = Map.of(
                "XDG_CONFIG_HOME",
                dir.resolve("xdg").toString(),
                InstanceLock.LOCK_FILE_ENV,
                dir.resolve("sipbridge.lock").toString());
        String base = "http://127.0.0.1:" + port;
        try (DaemonProcess daemon = DaemonProcess.start(
                dir,
                env,
                "run",
                "--config",
                config.toString(),
                "--data-dir",
                dir.resolve("data").toString())) {
            daemon.awaitOutput("Web UI: http://", Duration.ofSeconds(20));

            HttpResponse<String> index = DaemonProcess.get(base + "/");
            assertEquals(200, index.statusCode());
            assertTrue(index.body().contains("/assets/app.js"));
            assertTrue(index.headers()
                    .firstValue("content-security-policy")
                    .orElse("")
                    .contains("script-src 'self'"));

            HttpResponse<String> changed = send(
                    "PUT",
                    base + "/api/config",
                    "{\"bridge\": {\"name\": \"Desk\"},"
                            + " \"diagnostics\": {\"traceLevels\": {\"web\": \"DEBUG\"}}}");
            assertEquals(200, changed.statusCode(), changed.body());
            assertFalse(changed.body().contains("pw-1001"));
            assertTrue(Files.readString(config).contains("\"Desk\""), "saved");
            assertTrue(Files.readString(config).contains("pw-1001"), "the station's password is kept");
            assertEquals(
                    "Desk",
                    JSON.readTree(DaemonProcess.get(base + "/api/status").body())
                            .path("bridgeName")
                            .asText());

            JsonNode about =
                    JSON.readTree(DaemonProcess.get(base + "/api/about").body());
            assertTrue(about.path("version").asText().startsWith("0."), about.toString());
            assertFalse(about.path("buildTime").asText().isEmpty(), about.toString());
            assertTrue(about.path("logDirectory").asText().endsWith("logs"), about.toString());

            // Without adapters the SIP relay is not running: Disconnect says Not Ready; Connect says why it cannot.
            assertEquals(
                    200, send("POST", base + "/api/bridge/disconnect", null).statusCode());
            assertTrue(DaemonProcess.get(base + "/api/status").body().contains("disconnected from its servers"));
            HttpResponse<String> connect = send("POST", base + "/api/bridge/connect", null);
            assertEquals(409, connect.statusCode(), connect.body());
            assertTrue(connect.body().contains("adapter"), connect.body());
        }
    }
}
