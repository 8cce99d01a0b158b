package org.sipbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JSON of the configuration pages' small endpoints, as their JavaScript reads it ({@code pages/config.js},
 * {@code form.js}, {@code login.js}, {@code api.js}): field names, values and, where the old code fixed it,
 * field order. Written before these answers became records, so it pins what the pages have always read.
 */
class AdminJsonTest {

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

    private JsonNode get(String path, int status) throws Exception {
        HttpResponse<String> response = new ApiClient(ui.base).get(path);
        assertEquals(status, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    void adaptersAreNamesStatesAndAddressTexts() throws Exception {
        JsonNode adapters = get("/api/adapters", 200);

        assertEquals(JSON.readTree("""
                        [{"name": "eth0", "displayName": "eth0", "up": true, "loopback": false, "addresses": ["198.18.1.1"]},
                         {"name": "tun0", "displayName": "tun0", "up": true, "loopback": false, "addresses": ["198.19.2.1"]},
                         {"name": "lo", "displayName": "lo", "up": true, "loopback": true, "addresses": ["127.0.0.1"]}]
                        """), adapters);
    }

    @Test
    void tlsWithoutACertificateIsAnEmptyObjectAndTheSuitesOffered() throws Exception {
        JsonNode tls = get("/api/tls", 200);

        assertEquals(
                java.util.Set.of("certificateInstalled", "certificate", "trustedAuthorities", "supportedCipherSuites"),
                java.util.Set.copyOf(names(tls)),
                "the order of these fields was never fixed");
        assertEquals(false, tls.get("certificateInstalled").booleanValue());
        assertEquals(JSON.createObjectNode(), tls.get("certificate"), "the page reads certificate.subject of {}");
        assertEquals(0, tls.get("trustedAuthorities").intValue());
        assertTrue(tls.get("supportedCipherSuites").size() > 0);
        tls.get("supportedCipherSuites")
                .forEach(suite -> assertTrue(
                        suite.isTextual()
                                && !suite.asText().contains("_NULL_")
                                && !suite.asText().endsWith("_SCSV"),
                        suite.toString()));
    }

    @Test
    void theSchemaListsEverySettingInCatalogOrderWithItsDefault() throws Exception {
        JsonNode schema = get("/api/config/schema", 200);

        for (JsonNode setting : schema) {
            assertEquals(
                    List.of("key", "type", "restart", "allowedValues", "range", "description", "default"),
                    names(setting),
                    setting.toString());
        }
        JsonNode port = null;
        for (JsonNode setting : schema) {
            if (setting.get("key").asText().equals("protocols.udp.port")) {
                port = setting;
            }
        }
        assertEquals("INTEGER", port.get("type").asText());
        assertEquals(8060, port.get("default").intValue());
        assertTrue(port.get("restart").isBoolean());
        assertTrue(port.get("allowedValues").isArray());
        assertTrue(port.get("range").isTextual());
        JsonNode stationName = null;
        for (JsonNode setting : schema) {
            if (setting.get("key").asText().startsWith("stations[]")) {
                stationName = setting;
            }
        }
        assertTrue(stationName.get("default").isNull(), "list elements have no default");
    }

    @Test
    void connectionIsOneFlag() throws Exception {
        HttpResponse<String> response = new ApiClient(ui.base).get("/api/bridge/connection");

        assertEquals("{\n  \"connected\" : true\n}", response.body());
    }

    @Test
    void anErrorIsOneMessage() throws Exception {
        HttpResponse<String> response = new ApiClient(ui.base).get("/api/nothing-here");

        assertEquals(404, response.statusCode());
        assertEquals("{\n  \"error\" : \"no such resource: /api/nothing-here\"\n}", response.body());
    }

    @Test
    void refusedSettingsAreErrorsByKey() throws Exception {
        HttpResponse<String> response =
                new ApiClient(ui.base).send("PUT", "/api/config", "{\"protocols\": {\"udp\": {\"port\": 0}}}");

        assertEquals(400, response.statusCode());
        JsonNode json = JSON.readTree(response.body());
        assertEquals(List.of("errors"), names(json));
        assertEquals("protocols.udp.port", json.at("/errors/0/key").asText());
        assertTrue(json.at("/errors/0/message").isTextual(), json.toString());
    }

    @Test
    void theSessionHasItsFlagsInOrder() throws Exception {
        HttpResponse<String> response = new ApiClient(ui.base).get("/api/session");

        JsonNode json = JSON.readTree(response.body());
        assertEquals(List.of("authRequired", "authenticated", "user", "csrfToken"), names(json));
        assertEquals(false, json.get("authRequired").booleanValue());
        assertEquals(true, json.get("authenticated").booleanValue());
        assertTrue(json.get("user").isNull());
        assertTrue(json.get("csrfToken").asText().length() > 16);
    }
}
