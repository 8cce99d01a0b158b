package org.sipbridge.config.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipbridge.config.BridgeSettings;
import org.sipbridge.config.ManagementSettings;
import org.sipbridge.config.central.CentralDocument;
import org.sipbridge.config.validation.ConfigException;

/** The central layer of {@link ConfigStore}: managed keys override the file, are refused locally, and never reach the file. */
class CentralLayerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ConfigStore store() throws Exception {
        Path file = dir.resolve("sipbridge.json");
        Files.writeString(file, """
                {"bridge": {"name": "kitchen", "servers": ["10.0.0.1:5060"], "lanAdapter": "eth0", "vpnAdapter": "tun0"},
                 "management": {"url": "https://prov.example.com/sipbridge/"}}
                """);
        return new ConfigStore(file, ConfigFile.loadOrCreate(file));
    }

    private static CentralDocument document(String json) throws Exception {
        return new CentralDocument(
                (ObjectNode) JSON.readTree(json), "https://prov.example.com/sipbridge/kitchen.json", "v1");
    }

    @Test
    void centralKeysOverrideTheFileAndLeaveItAsItWas() throws Exception {
        ConfigStore store = store();
        String fileBefore = Files.readString(store.file());
        List<List<String>> heard = new ArrayList<>();
        store.subscribe(c -> c.bridge().servers(), heard::add);

        List<String> changed = store.applyCentral(document("""
                {"bridge": {"servers": ["10.1.0.1:5060", "10.1.0.2:5060"]}, "media": {"holdTimeoutSec": 600}}
                """));

        assertEquals(List.of("bridge.servers", "media.holdTimeoutSec"), changed);
        assertEquals(
                List.of("10.1.0.1:5060", "10.1.0.2:5060"),
                store.current().bridge().servers());
        assertEquals("kitchen", store.current().bridge().name(), "keys the document does not name stay local");
        assertEquals(List.of(List.of("10.1.0.1:5060", "10.1.0.2:5060")), heard);
        assertEquals(fileBefore, Files.readString(store.file()), "the central values are not written to the file");

        store.applyCentral(document("{\"media\": {\"holdTimeoutSec\": 600}}"));
        assertEquals(
                List.of("10.0.0.1:5060"),
                store.current().bridge().servers(),
                "a key the document drops is local again");
    }

    @Test
    void aLocalChangeToAManagedKeyIsRefusedWithTheReasonAndOtherKeysStayEditable() throws Exception {
        ConfigStore store = store();
        store.applyCentral(document("{\"bridge\": {\"servers\": [\"10.1.0.1:5060\"]}}"));

        BridgeSettings bridge = store.current().bridge();
        ConfigException refused = assertThrows(
                ConfigException.class,
                () -> store.apply(store.current().withBridge(bridge.withServers(List.of("10.9.9.9:5060")))));
        assertEquals("bridge.servers", refused.problems().get(0).key());
        assertTrue(
                refused.problems()
                        .get(0)
                        .message()
                        .contains("managed centrally by https://prov.example.com/sipbridge/kitchen.json"),
                refused.problems().toString());

        store.apply(store.current().withBridge(bridge.withAdapters("eth1", "tun1")));
        assertEquals("eth1", store.current().bridge().lanAdapter());
        assertEquals(List.of("10.1.0.1:5060"), store.current().bridge().servers(), "still the central value");
        String file = Files.readString(store.file());
        assertTrue(file.contains("eth1") && file.contains("10.0.0.1:5060") && !file.contains("10.1.0.1"), file);
    }

    @Test
    void aBadDocumentIsRefusedAsAWholeNamingEachKeyAndTheRunningConfigIsKept() throws Exception {
        ConfigStore store = store();
        store.applyCentral(document("{\"media\": {\"holdTimeoutSec\": 600}}"));

        ConfigException invalid = assertThrows(
                ConfigException.class,
                () -> store.applyCentral(document(
                        "{\"media\": {\"holdTimeoutSec\": 5}, \"bridge\": {\"servers\": [\"10.1.0.1:5060\"]}}")));
        assertEquals(
                "media.holdTimeoutSec",
                invalid.problems().get(0).key(),
                invalid.problems().toString());
        assertEquals(600, store.current().media().holdTimeoutSec());
        assertEquals(
                List.of("10.0.0.1:5060"), store.current().bridge().servers(), "nothing of the bad document applied");

        ConfigException localOnly = assertThrows(
                ConfigException.class,
                () -> store.applyCentral(
                        document(
                                "{\"bridge\": {\"lanAdapter\": \"eth9\"}, \"management\": {\"url\": \"https://evil.example/\"}}")));
        assertEquals(
                List.of("bridge.lanAdapter", "management"),
                localOnly.problems().stream().map(p -> p.key()).toList());
        assertEquals("eth0", store.current().bridge().lanAdapter());
    }

    @Test
    void managedKeysAreTheCatalogKeysTheDocumentNames() throws Exception {
        CentralDocument document = document("""
                {"bridge": {"servers": []}, "stations": [], "admin": {"userName": "it", "passwordHash": "x"},
                 "diagnostics": {"traceLevels": {"sip": "DEBUG"}}}
                """);
        assertEquals(
                List.of(
                        "bridge.servers",
                        "stations",
                        "admin.userName",
                        "admin.passwordHash",
                        "diagnostics.traceLevels"),
                document.managedKeys());
        assertTrue(document.manages("stations[0].password"));
        assertTrue(document.manages("diagnostics.traceLevels"));
        assertTrue(!document.manages("bridge.name"));
    }

    /**
     * Turning central management off gives every managed key its local value in the same apply: the web UI
     * reloads the form as soon as management reads "off", and found bridge.servers still read-only (FleetLabIT, CI
     * of 2026-12-05) while the service's thread had not yet dropped the document.
     */
    @Test
    void clearingTheManagementUrlEndsTheCentralLayerAtOnce() throws Exception {
        ConfigStore store = store();
        store.applyCentral(document("{\"bridge\": {\"servers\": [\"10.1.0.1:5060\"]}}"));
        List<List<String>> heard = new ArrayList<>();
        store.subscribe(c -> c.bridge().servers(), heard::add);

        store.apply(store.current().withManagement(ManagementSettings.defaults()));

        assertTrue(store.central().isEmpty(), "no key is managed once management is off");
        assertEquals(List.of("10.0.0.1:5060"), store.current().bridge().servers());
        assertEquals(List.of(List.of("10.0.0.1:5060")), heard, "subscribers hear the local value");
    }
}
