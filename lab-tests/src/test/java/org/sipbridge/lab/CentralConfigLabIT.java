package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Central configuration with the real jar and nginx as the company's HTTPS configuration server (a
 * certificate no JDK trusts, as a company CA): the bridge refuses it until IT trusts its fingerprint,
 * then takes its PBX from default.json and its own document over it, answers local changes to managed
 * keys with the reason, picks up a change within one poll (conditional GETs: nginx answers 304 while
 * nothing changed), refuses a broken document naming the key, and starts from its cache when nginx is down.
 */
class CentralConfigLabIT extends PbxLabTest {

    private static Nginx nginx;

    @BeforeAll
    static void start() throws Exception {
        startLab("cc");
        Path work = dir.resolve("nginx");
        Nginx.selfSignedCertificate(work, "/CN=prov.lab/O=sipbridge lab", lab.fact("PBX_IP"));
        nginx = Nginx.start(lab, work, Files.createDirectories(dir.resolve("docroot")), lab.fact("PBX_IP"));
    }

    private static void publish(String file, String json) throws Exception {
        nginx.publish("sipbridge/" + file, json);
    }

    private String localConfig() {
        return """
                {"bridge": {"name": "home-17", "servers": [], "lanAdapter": "eth0", "vpnAdapter": "tun0"},
                 "management": {"url": "%s", "pollSeconds": 10}}
                """.formatted(nginx.httpsUrl() + "sipbridge/");
    }

    @Test
    void theBridgeTakesItsSettingsFromTheCompanyServerAndKeepsThemWhenItIsDown() throws Exception {
        publish("default.json", """
                {"bridge": {"servers": ["%s:5060"]}, "media": {"holdTimeoutSec": 900}}
                """.formatted(lab.fact("PBX_IP")));
        publish("home-17.json", "{\"media\": {\"holdTimeoutSec\": 600}}");
        daemon = BridgeDaemon.start(lab, dir.resolve("bridge"), localConfig());

        // nginx's certificate is not trusted: nothing is applied until IT trusts the fingerprint it reviewed.
        JsonNode refused =
                daemon.await("/api/management", m -> m.path("untrusted").size() > 0, Duration.ofSeconds(20));
        assertEquals("failing", refused.path("state").asText(), refused.toString());
        assertEquals(0, daemon.get("/api/config").path("bridge").path("servers").size());
        String fingerprint =
                refused.path("untrusted").path(0).path("sha256Fingerprint").asText();
        String trusted = daemon.send("POST", "/api/management/trust", "{\"sha256\": \"" + fingerprint + "\"}");
        assertTrue(trusted.endsWith("200"), trusted);

        JsonNode managed = daemon.await(
                "/api/management", m -> "managed".equals(m.path("state").asText()), Duration.ofSeconds(20));
        assertEquals(
                "[\"bridge.servers\",\"media.holdTimeoutSec\"]",
                managed.path("managedKeys").toString());
        JsonNode config = daemon.get("/api/config");
        assertEquals(
                lab.fact("PBX_IP") + ":5060",
                config.path("bridge").path("servers").path(0).asText());
        assertEquals(600, config.path("media").path("holdTimeoutSec").asInt(), "the bridge's own document wins");
        awaitServerState("UP");

        String local = daemon.send("PUT", "/api/config", "{\"bridge\": {\"servers\": [\"198.19.2.99:5060\"]}}");
        assertTrue(local.endsWith("400") && local.contains("managed centrally by"), local);
        String unmanaged = daemon.send("PUT", "/api/config", "{\"protocols\": {\"udp\": {\"t1Ms\": 450}}}");
        assertTrue(unmanaged.endsWith("200"), unmanaged);

        // A change on the server arrives within one poll (10 s ± 10 %).
        publish("home-17.json", "{\"media\": {\"holdTimeoutSec\": 1200}}");
        daemon.await(
                "/api/config", c -> c.path("media").path("holdTimeoutSec").asInt() == 1200, Duration.ofSeconds(15));
        assertTrue(
                nginx.accessLog().stream()
                        .anyMatch(line -> line.contains("/sipbridge/default.json") && line.contains(" 304 ")),
                "unchanged files are answered 304: " + nginx.accessLog());

        // A broken document is refused as a whole, naming the key and the URL; the running config stays.
        publish("home-17.json", "{\"media\": {\"holdTimeoutSec\": 5}}");
        JsonNode status =
                daemon.await("/api/status", s -> s.toString().contains("media.holdTimeoutSec"), Duration.ofSeconds(15));
        assertTrue(status.toString().contains(nginx.httpsUrl() + "sipbridge/"), status.toString());
        assertEquals(
                1200,
                daemon.get("/api/config").path("media").path("holdTimeoutSec").asInt());

        // nginx down and the bridge restarted: it starts with the last good document from its cache.
        nginx.stop();
        daemon.close();
        daemon = BridgeDaemon.start(lab, dir.resolve("bridge"), localConfig());
        config = daemon.get("/api/config");
        assertEquals(
                lab.fact("PBX_IP") + ":5060",
                config.path("bridge").path("servers").path(0).asText());
        assertEquals(1200, config.path("media").path("holdTimeoutSec").asInt());
        awaitServerState("UP");
        JsonNode failing = daemon.await(
                "/api/management", m -> "failing".equals(m.path("state").asText()), Duration.ofSeconds(20));
        assertTrue(failing.path("problem").asText().contains("cannot fetch"), failing.toString());
    }
}
