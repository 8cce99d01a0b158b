package org.sipbridge.daemon.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipbridge.config.ManagementSettings;
import org.sipbridge.config.persistence.ConfigFile;
import org.sipbridge.config.persistence.ConfigStore;
import org.sipbridge.config.validation.ConfigException;
import org.sipbridge.contract.tls.ListenerCertificate;
import org.sipbridge.web.CentralManagement;

/**
 * Central configuration against a real HTTPS server on loopback (the JDK's HttpsServer with a
 * certificate the JDK does not trust, as a company's own CA would be): untrusted until IT trusts the
 * fingerprint, then the bridge's own document over default.json, conditional polling, a bad document
 * refused by key, and start-up from the cache while the server is down.
 */
class CentralConfigServiceTest {

    @TempDir
    Path dir;

    private final Map<String, String> files = new ConcurrentHashMap<>();
    private final AtomicInteger notModified = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpsServer server;
    private String certificateFingerprint;
    private ConfigStore store;
    private CentralConfigService service;

    @BeforeEach
    void startServer() throws Exception {
        ListenerCertificate certificate = ListenerCertificate.generated(
                dir.resolve("server"),
                "central",
                "test server",
                List.of(InetAddress.getLoopbackAddress()),
                Clock.systemUTC());
        certificateFingerprint = org.sipbridge.contract.tls.CertificateDetails.of(certificate.certificate())
                .sha256Fingerprint();
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
        server.createContext("/sipbridge/", this::serve);
        server.start();
        Path file = dir.resolve("sipbridge.json");
        Files.writeString(file, """
                {"bridge": {"name": "kitchen", "servers": ["10.0.0.1:5060"]},
                 "management": {"url": "https://127.0.0.1:%d/sipbridge/", "userName": "bridge", "password": "s3cret"}}
                """.formatted(server.getAddress().getPort()));
        store = new ConfigStore(file, ConfigFile.loadOrCreate(file));
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.stop();
        }
        server.stop(0);
    }

    private void serve(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String name = exchange.getRequestURI().getPath().substring("/sipbridge/".length());
        String body = files.get(name);
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (!"Basic YnJpZGdlOnMzY3JldA==".equals(auth)) {
            exchange.sendResponseHeaders(401, -1);
        } else if (body == null) {
            exchange.sendResponseHeaders(404, -1);
        } else {
            String etag = "\"" + Integer.toHexString(body.hashCode()) + "\"";
            exchange.getResponseHeaders().add("ETag", etag);
            if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                notModified.incrementAndGet();
                exchange.sendResponseHeaders(304, -1);
            } else {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, bytes.length > CentralConfigClient.MAX_BODY_BYTES ? 0 : bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        }
        exchange.close();
    }

    /** As IT would have trusted it before: the server's certificate in the bridge's pins file. */
    private void pinTheServer() throws IOException {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(
                dir.resolve("data").resolve(CentralConfigService.PINS_FILE),
                Files.readString(dir.resolve("server").resolve(ListenerCertificate.certificateFile("central"))));
    }

    private CentralConfigService startService() throws Exception {
        service = new CentralConfigService(
                store, Files.createDirectories(dir.resolve("data")), () -> "host", Clock.systemUTC());
        service.start();
        return service;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    @Test
    void withoutAManagementUrlNoHttpClientThreadRuns() throws Exception {
        Path file = dir.resolve("unmanaged.json");
        Files.writeString(file, "{\"bridge\": {\"name\": \"kitchen\"}}");
        store = new ConfigStore(file, ConfigFile.loadOrCreate(file));
        long before = httpClientThreads();
        startService();
        await("off", () -> "off".equals(service.view().state()));
        assertTrue(httpClientThreads() <= before, "an unused HTTP client's selector thread wakes a laptop for nothing");
    }

    @Test
    void withoutAManagementUrlTheServiceHasNoThreadUntilOneIsSet() throws Exception {
        pinTheServer();
        files.put("kitchen.json", "{\"media\": {\"holdTimeoutSec\": 600}}");
        ManagementSettings managed = store.current().management();
        store.apply(store.current().withManagement(new ManagementSettings("", 300, "", "", "")));
        startService();
        assertFalse(service.hasPollingThread(), "an idle thread for a feature that is off (#19: threads when idle)");

        store.apply(store.current().withManagement(managed));
        await(
                "managed once the URL is set",
                () -> "managed".equals(service.view().state()));
        assertTrue(service.hasPollingThread(), "polling every management.pollSeconds needs its thread");
    }

    private static long httpClientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("HttpClient-"))
                .count();
    }

    @Test
    void anUntrustedServerIsRefusedUntilItsFingerprintIsTrustedThenTheOwnDocumentWinsOverTheDefault() throws Exception {
        files.put(
                "default.json",
                "{\"bridge\": {\"servers\": [\"10.1.0.1:5060\"]}, \"media\": {\"holdTimeoutSec\": 900}}");
        files.put("kitchen.json", "{\"media\": {\"holdTimeoutSec\": 600}}");
        startService();

        await(
                "refused as untrusted",
                () -> "failing".equals(service.view().state())
                        && !service.view().untrusted().isEmpty());
        CentralManagement.View refused = service.view();
        assertEquals(certificateFingerprint, refused.untrusted().get(0).sha256Fingerprint());
        assertEquals(
                List.of("10.0.0.1:5060"),
                store.current().bridge().servers(),
                "nothing applied from an untrusted server");
        assertTrue(
                service.reasons()
                        .get(0)
                        .message()
                        .contains("Central configuration: cannot fetch from https://127.0.0.1"),
                service.reasons().toString());

        service.trust(certificateFingerprint);
        await("managed", () -> "managed".equals(service.view().state()));
        assertEquals(List.of("10.1.0.1:5060"), store.current().bridge().servers());
        assertEquals(600, store.current().media().holdTimeoutSec(), "the bridge's own document over default.json");
        assertEquals(
                List.of("bridge.servers", "media.holdTimeoutSec"),
                service.view().managedKeys());
        assertTrue(
                service.view()
                        .source()
                        .endsWith("default.json + https://127.0.0.1:"
                                + server.getAddress().getPort() + "/sipbridge/kitchen.json"),
                service.view().source());
        assertEquals(List.of(), service.reasons());

        Path cache = dir.resolve("data").resolve(CentralConfigService.CACHE_FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
        assertFalse(Files.readString(store.file()).contains("10.1.0.1"), "central values never reach the local file");

        // Unchanged: the next poll costs two 304s and changes nothing.
        service.syncNow();
        await("conditional requests", () -> notModified.get() >= 2);
        assertEquals(600, store.current().media().holdTimeoutSec());
    }

    @Test
    void aBadDocumentIsRefusedByKeyAndTheBridgeStartsFromTheCacheWhileTheServerIsDown() throws Exception {
        pinTheServer();
        files.put("default.json", "{\"media\": {\"holdTimeoutSec\": 900}}");
        startService();
        await("managed", () -> "managed".equals(service.view().state()));
        assertEquals(900, store.current().media().holdTimeoutSec());

        files.put(
                "kitchen.json", "{\"media\": {\"holdTimeoutSec\": 5}, \"bridge\": {\"servers\": [\"10.1.0.1:5060\"]}}");
        service.syncNow();
        await("refused", () -> "failing".equals(service.view().state()));
        String problem = service.view().problem();
        assertTrue(problem.contains("media.holdTimeoutSec") && problem.contains("https://127.0.0.1"), problem);
        assertEquals(900, store.current().media().holdTimeoutSec(), "the running config is kept");
        assertEquals(List.of("10.0.0.1:5060"), store.current().bridge().servers(), "refused as a whole");

        // A restart with the server down: the cached document is in force at once.
        service.stop();
        server.stop(0);
        Path file = store.file();
        store = new ConfigStore(file, ConfigFile.loadOrCreate(file));
        assertEquals(7200, store.current().media().holdTimeoutSec(), "the local file alone");
        startService();
        assertEquals(900, store.current().media().holdTimeoutSec(), "from the cache, before any fetch");
        await("failing while down", () -> "failing".equals(service.view().state()));
        assertTrue(
                service.reasons().get(0).message().contains("keeps the settings of version"),
                service.reasons().toString());
    }

    @Test
    void aDocumentLargerThanTheCapIsRefusedWithAWarningAndTheRunningConfigIsKept() throws Exception {
        pinTheServer();
        files.put("default.json", "{\"media\": {\"holdTimeoutSec\": 900}}");
        startService();
        await("managed", () -> "managed".equals(service.view().state()));

        // Valid JSON, so only the size can make the bridge refuse it; sent chunked (no Content-Length to go by).
        String padding = " ".repeat(CentralConfigClient.MAX_BODY_BYTES);
        files.put("kitchen.json", "{\"media\": {\"holdTimeoutSec\": 600}}" + padding);
        service.syncNow();
        await("refused", () -> "failing".equals(service.view().state()));

        String problem = service.view().problem();
        assertTrue(problem.contains("/sipbridge/kitchen.json is larger than 1048576 bytes"), problem);
        assertEquals(900, store.current().media().holdTimeoutSec(), "the running config is kept");
        assertEquals(
                org.sipbridge.contract.service.Severity.WARNING,
                service.reasons().get(0).severity());
        String warning = service.reasons().get(0).message();
        assertTrue(
                warning.startsWith("Central configuration: refused https://127.0.0.1")
                        && warning.contains("larger than")
                        && warning.contains("keeps the settings of version"),
                warning);
    }

    @Test
    void localChangesToManagedKeysAreRefusedAndClearingTheUrlGivesTheLocalValuesBack() throws Exception {
        pinTheServer();
        files.put("kitchen.json", "{\"bridge\": {\"servers\": [\"10.1.0.1:5060\"]}}");
        startService();
        await("managed", () -> "managed".equals(service.view().state()));

        try {
            store.apply(store.current().withBridge(store.current().bridge().withServers(List.of("10.9.9.9:5060"))));
            throw new AssertionError("a managed key was changed locally");
        } catch (ConfigException expected) {
            assertTrue(
                    expected.problems().get(0).message().contains("managed centrally by"),
                    expected.problems().toString());
        }

        store.apply(store.current().withManagement(new ManagementSettings("", 300, "", "", "")));
        assertEquals(List.of("10.0.0.1:5060"), store.current().bridge().servers(), "local again at once");
        assertEquals("off", service.view().state());
        assertEquals(List.of(), service.view().managedKeys(), "off means no key is managed any more");
        await("the cache goes", () -> !Files.exists(dir.resolve("data").resolve(CentralConfigService.CACHE_FILE)));
        await("the polling thread ends once off", () -> !service.hasPollingThread());
    }

    @Test
    void theVpnComingBackTriggersASyncAfterTheNextListenerHasActed() throws Exception {
        pinTheServer();
        files.put("default.json", "{\"media\": {\"holdTimeoutSec\": 900}}");
        startService();
        await("managed", () -> "managed".equals(service.view().state()));
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        var listener = service.syncWhenTheVpnReturns((before, after) -> order.add("rebinder"));
        var lan = new org.sipbridge.daemon.recovery.AdapterWatcher.Seen("LAN", "eth0", "eth0", "192.168.1.20", "");
        var vpnAway = new org.sipbridge.daemon.recovery.AdapterWatcher.Seen("VPN", "tun0", "", "", "not found");
        var vpnBack = new org.sipbridge.daemon.recovery.AdapterWatcher.Seen("VPN", "tun0", "tun0", "10.8.0.14", "");
        int before = requests.get();

        listener.changed(
                new org.sipbridge.daemon.recovery.AdapterWatcher.Observed(lan, vpnBack),
                new org.sipbridge.daemon.recovery.AdapterWatcher.Observed(lan, vpnAway));
        Thread.sleep(500);
        assertEquals(before, requests.get(), "no sync while the VPN goes away");
        listener.changed(
                new org.sipbridge.daemon.recovery.AdapterWatcher.Observed(lan, vpnAway),
                new org.sipbridge.daemon.recovery.AdapterWatcher.Observed(lan, vpnBack));
        await("a sync when it is back", () -> requests.get() >= before + 2);
        assertEquals(List.of("rebinder", "rebinder"), order);
    }
}
