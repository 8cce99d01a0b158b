package org.sipbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.persistence.ConfigFile;

/** The configuration API over a real config file: read, partial change, refusal by key, download, adapters. */
class AdminApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private UiFixture ui;

    @BeforeEach
    void start() throws Exception {
        ui = new UiFixture();
    }

    @AfterEach
    void stop() throws Exception {
        ui.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return new ApiClient(ui.base).get(path);
    }

    /** With the CSRF token of an (open UI) session, as the pages send it. */
    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return new ApiClient(ui.base).send(method, path, body);
    }

    private static List<String> errorKeys(HttpResponse<String> response) throws Exception {
        List<String> keys = new ArrayList<>();
        JSON.readTree(response.body())
                .path("errors")
                .forEach(e -> keys.add(e.path("key").asText()));
        return keys;
    }

    @Test
    void configIsShownWithoutSecrets() throws Exception {
        HttpResponse<String> response = get("/api/config");
        assertEquals(200, response.statusCode());
        JsonNode config = JSON.readTree(response.body());
        assertEquals(
                "198.19.2.10:5060",
                config.path("bridge").path("servers").path(0).asText());
        assertEquals("1001", config.path("stations").path(0).path("userName").asText());
        assertTrue(config.path("stations").path(0).path("passwordSet").asBoolean());
        assertTrue(config.path("stations").path(0).path("password").isMissingNode());
        assertFalse(response.body().contains("s3cret"));
        assertTrue(config.path("admin").path("passwordHash").isMissingNode());
        assertFalse(config.path("admin").path("credentialsSet").asBoolean());
        assertTrue(config.path("pendingRestart").isArray());
    }

    @Test
    void aPartialChangeIsMergedSavedAndLive() throws Exception {
        HttpResponse<String> response = send(
                "PUT",
                "/api/config",
                "{\"protocols\": {\"udp\": {\"t1Ms\": 400, \"port\": 5070}}, \"diagnostics\": {\"traceLevels\": {\"sip\": \"DEBUG\"}}}");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode config = JSON.readTree(response.body());
        assertEquals(400, config.path("protocols").path("udp").path("t1Ms").asInt());
        assertEquals(
                1000, config.path("protocols").path("udp").path("t2Ms").asInt(), "untouched keys keep their values");
        assertEquals(
                "DEBUG",
                config.path("diagnostics").path("traceLevels").path("sip").asText());
        assertEquals(
                "INFO",
                config.path("diagnostics").path("traceLevels").path("rtp").asText(),
                "other topics kept");
        assertEquals("[\"protocols.udp.port\"]", config.path("pendingRestart").toString());
        assertEquals(400, ConfigFile.load(ui.configFile).protocols().udp().t1Ms(), "persisted");
        assertEquals(400, ui.store.current().protocols().udp().t1Ms(), "live");
        assertEquals("s3cret-1001", ui.store.current().stations().get(0).password(), "passwords untouched");
    }

    @Test
    void everyProblemIsReportedByKeyAndNothingIsApplied() throws Exception {
        String before = Files.readString(ui.configFile);
        HttpResponse<String> response = send(
                "PUT",
                "/api/config",
                "{\"protocols\": {\"udp\": {\"t1Ms\": -5, \"t2Ms\": \"soon\"}}, \"bridge\": {\"name\": \"ok\", \"dhcpOptionCod\": 1},"
                        + " \"media\": {\"rtpPortRange\": \"5-3\"}}");
        assertEquals(400, response.statusCode());
        List<String> keys = errorKeys(response);
        assertTrue(
                keys.containsAll(List.of(
                        "protocols.udp.t1Ms", "protocols.udp.t2Ms", "bridge.dhcpOptionCod", "media.rtpPortRange")),
                keys.toString());
        assertTrue(response.body().contains("was -5"), response.body());
        assertEquals(before, Files.readString(ui.configFile), "file unchanged");
        assertEquals("", ui.store.current().bridge().name(), "the valid part was not applied either");
    }

    @Test
    void stationsKeepTheirPasswordWhenNoneIsSent() throws Exception {
        HttpResponse<String> response = send(
                "PUT",
                "/api/config",
                "{\"stations\": ["
                        + "{\"name\": \"Front desk (renamed)\", \"userName\": \"1001\", \"passwordSet\": true},"
                        + "{\"name\": \"New\", \"userName\": \"1003\", \"password\": \"pw-1003\"}]}");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("s3cret-1001", ui.store.current().stations().get(0).password());
        assertEquals(
                "Front desk (renamed)", ui.store.current().stations().get(0).name());
        assertEquals("pw-1003", ui.store.current().stations().get(1).password());
        assertEquals(2, ui.store.current().stations().size(), "the list was replaced: 1002 deleted");
        assertFalse(response.body().contains("pw-1003"));

        HttpResponse<String> missing =
                send("PUT", "/api/config", "{\"stations\": [{\"name\": \"X\", \"userName\": \"1009\"}]}");
        assertEquals(400, missing.statusCode());
        assertEquals(List.of("stations[0].password"), errorKeys(missing));
    }

    @Test
    void adminCannotBeChangedHere() throws Exception {
        HttpResponse<String> response = send("PUT", "/api/config", "{\"admin\": {\"userName\": \"eve\"}}");
        assertEquals(400, response.statusCode());
        assertEquals(List.of("admin.userName"), errorKeys(response));
        HttpResponse<String> unchanged =
                send("PUT", "/api/config", "{\"admin\": {\"userName\": \"\", \"credentialsSet\": false}}");
        assertEquals(200, unchanged.statusCode(), "sending back what GET showed is fine");
    }

    @Test
    void brokenBodiesAreRefusedWithAMessage() throws Exception {
        HttpResponse<String> notJson = send("PUT", "/api/config", "{\"bridge\": ");
        assertEquals(400, notJson.statusCode());
        assertEquals(List.of(""), errorKeys(notJson));
        HttpResponse<String> array = send("PUT", "/api/config", "[1]");
        assertEquals(400, array.statusCode());
        assertTrue(array.body().contains("JSON object"), array.body());
    }

    @Test
    void downloadIsTheFileWithoutSecrets() throws Exception {
        HttpResponse<String> response = get("/api/config/download");
        assertEquals(200, response.statusCode());
        assertEquals(
                "attachment; filename=\"sipbridge.json\"",
                response.headers().firstValue("content-disposition").orElse(""));
        assertFalse(response.body().contains("s3cret"));
        assertFalse(response.body().contains("passwordHash"));
        assertEquals(
                "1002",
                JSON.readTree(response.body())
                        .path("stations")
                        .path(1)
                        .path("userName")
                        .asText());
    }

    @Test
    void adaptersAboutSchemaAndTls() throws Exception {
        JsonNode adapters = JSON.readTree(get("/api/adapters").body());
        assertEquals("eth0", adapters.path(0).path("name").asText());
        assertEquals("198.18.1.1", adapters.path(0).path("addresses").path(0).asText());
        assertEquals(
                "golf",
                JSON.readTree(get("/api/about").body()).path("machineName").asText());
        JsonNode schema = JSON.readTree(get("/api/config/schema").body());
        JsonNode range = null;
        for (JsonNode setting : schema) {
            if (setting.path("key").asText().equals("media.rtpPortRange")) {
                range = setting;
            }
        }
        assertTrue(range != null && range.path("restart").asBoolean());
        assertEquals("16384-32767", range.path("default").asText());
        JsonNode tls = JSON.readTree(get("/api/tls").body());
        assertFalse(tls.path("certificateInstalled").asBoolean());
        assertTrue(tls.path("supportedCipherSuites").toString().contains("TLS_AES_128_GCM_SHA256"));
    }

    @Test
    void connectAndDisconnect() throws Exception {
        assertTrue(JSON.readTree(get("/api/bridge/connection").body())
                .path("connected")
                .asBoolean());
        HttpResponse<String> off = send("POST", "/api/bridge/disconnect", null);
        assertEquals(200, off.statusCode());
        assertFalse(JSON.readTree(off.body()).path("connected").asBoolean());
        assertFalse(ui.connected.get());
        assertTrue(JSON.readTree(send("POST", "/api/bridge/connect", null).body())
                .path("connected")
                .asBoolean());
    }

    @Test
    void pagesAreServedWithAStrictPolicy() throws Exception {
        HttpResponse<String> index = get("/");
        assertEquals(200, index.statusCode());
        assertTrue(index.body().contains("<nav"), index.body());
        String policy = index.headers().firstValue("content-security-policy").orElse("");
        assertTrue(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"), policy);
        assertEquals(
                "nosniff", index.headers().firstValue("x-content-type-options").orElse(""));
        assertEquals(200, get("/assets/app.js").statusCode());
        assertTrue(get("/assets/app.js")
                .headers()
                .firstValue("content-type")
                .orElse("")
                .contains("javascript"));
        assertEquals(200, get("/login.html").statusCode());
        assertEquals(404, get("/nothing-here.html").statusCode());
        assertEquals(404, get("/api/nothing").statusCode());
    }
}
