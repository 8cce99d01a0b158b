package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A fleet of two: two homes (lab/fleet/topology.sh), each a phone and a bridge in namespaces of their
 * own, behind one office where nginx is the company's configuration server (HTTPS, certificate from a
 * lab CA that IT gave the bridges to trust), Kamailio the PBX and a real Prometheus the monitoring.
 * Each bridge takes default.json with its own document over it, picks up a change within one poll,
 * refuses a broken document naming the key while the other bridge carries on, shows its managed keys
 * read-only in Chromium, and keeps working from its cache when nginx is gone; Prometheus scrapes both
 * over the VPN side and fires Not Ready for the one whose VPN drops, not for the other.
 */
class FleetLabIT {

    private static final int POLL_SECONDS = 10;
    private static final String SCRAPE_USER = "prometheus";
    private static final String SCRAPE_PASSWORD = "scrape secret";

    @TempDir
    static Path dir;

    private static LabNetwork lab;
    private static Kamailio pbx;
    private static Nginx nginx;
    private static Path labCa;
    private static BridgeDaemon home1;
    private static BridgeDaemon home2;

    @BeforeAll
    static void start() throws Exception {
        lab = LabNetwork.up(
                LabNetwork.REPO.resolve("lab/fleet/topology.sh"),
                "fl" + ProcessHandle.current().pid() % 100000);
        pbx = Kamailio.start(lab, dir.resolve("kamailio"), lab.fact("PBX_IP"), 5060);
        Path work = dir.resolve("nginx");
        labCa = Nginx.caSignedCertificate(work, dir.resolve("ca"), "/CN=prov.lab/O=sipbridge lab", lab.fact("PBX_IP"));
        nginx = Nginx.start(lab, work, Files.createDirectories(dir.resolve("docroot")), lab.fact("PBX_IP"));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable one : new AutoCloseable[] {home1, home2, nginx, pbx}) {
            if (one != null) {
                one.close();
            }
        }
        if (lab != null) {
            lab.close();
            assertEquals(List.of(), lab.remainingNamespaces());
        }
    }

    @Test
    void twoBridgesAreConfiguredCentrallyAndMonitoredByPrometheus() throws Exception {
        String pbxServer = lab.fact("PBX_IP") + ":5060";
        publish(
                "default.json",
                "{\"bridge\": {\"servers\": [\"" + pbxServer + "\"]}, \"media\": {\"holdTimeoutSec\": 900}}");
        publish("home-1.json", "{\"media\": {\"holdTimeoutSec\": 600}}");
        publish("home-2.json", "{\"media\": {\"holdTimeoutSec\": 1200}}");

        // Both bridges start at once, each knowing only its name, its adapters and the server's folder.
        CompletableFuture<BridgeDaemon> second = CompletableFuture.supplyAsync(() -> startBridge("bridge2", "home-2"));
        home1 = startBridge("bridge", "home-1");
        home2 = second.join();

        // Each takes default.json with its own document merged over it, and reaches the PBX it names.
        for (BridgeDaemon home : List.of(home1, home2)) {
            JsonNode managed = home.await(
                    "/api/management", m -> "managed".equals(m.path("state").asText()), Duration.ofSeconds(30));
            assertEquals(
                    "[\"bridge.servers\",\"media.holdTimeoutSec\"]",
                    managed.path("managedKeys").toString());
            assertEquals(
                    pbxServer,
                    home.get("/api/config")
                            .path("bridge")
                            .path("servers")
                            .path(0)
                            .asText());
            home.await(
                    "/api/status",
                    s -> "UP".equals(s.path("servers").path(0).path("state").asText()),
                    Duration.ofSeconds(20));
        }
        assertEquals(600, holdTimeout(home1));
        assertEquals(1200, holdTimeout(home2));

        // A change to one bridge's document arrives within one poll (10 s ± 10 %); the other is untouched.
        long changed = System.nanoTime();
        publish("home-2.json", "{\"media\": {\"holdTimeoutSec\": 1500}}");
        home2.await(
                "/api/config",
                c -> c.path("media").path("holdTimeoutSec").asInt() == 1500,
                Duration.ofSeconds(POLL_SECONDS + 3));
        System.out.printf(
                "home-2 applied the change after %.1f s (poll %d s)%n",
                (System.nanoTime() - changed) / 1e9, POLL_SECONDS);
        assertEquals(600, holdTimeout(home1));

        // A broken document is refused as a whole, naming the key and the URL; that bridge keeps its settings.
        publish("home-1.json", "{\"media\": {\"holdTimeoutSec\": 5}}");
        JsonNode status = home1.await(
                "/api/status",
                s -> s.toString().contains("media.holdTimeoutSec"),
                Duration.ofSeconds(POLL_SECONDS + 3));
        assertTrue(status.toString().contains(nginx.httpsUrl() + "sipbridge/"), status.toString());
        assertEquals(600, holdTimeout(home1));
        assertEquals(
                "managed", home2.get("/api/management").path("state").asText(), "the other bridge is not affected");
        publish("home-1.json", "{\"media\": {\"holdTimeoutSec\": 600}}");
        home1.await(
                "/api/management",
                m -> "managed".equals(m.path("state").asText()),
                Duration.ofSeconds(POLL_SECONDS + 3));

        managedKeysAreReadOnlyInTheBrowserAndRefusedByTheApi();
        prometheusScrapesBothAndAlertsForTheOneWhoseVpnDrops();
        bothKeepWorkingFromTheirCacheWhenTheServerIsGone(pbxServer);
    }

    /**
     * Chromium on home-1's own UI: the managed field disabled with the reason, a local-only one editable;
     * on home-2's, Disconnect and Connect.
     */
    private void managedKeysAreReadOnlyInTheBrowserAndRefusedByTheApi() throws Exception {
        try (NamespacedBrowser browser = new NamespacedBrowser(lab, "bridge", dir.resolve("browser"))) {
            WebDriverWait wait = new WebDriverWait(browser.driver(), Duration.ofSeconds(30));
            browser.driver().get("http://127.0.0.1:8080/#/config/bridge");
            wait.until(
                    ExpectedConditions.attributeToBe(By.id("f-bridge-servers"), "value", lab.fact("PBX_IP") + ":5060"));
            assertFalse(
                    browser.driver().findElement(By.id("f-bridge-servers")).isEnabled(), "a managed key is read-only");
            String row = browser.driver()
                    .findElement(By.cssSelector("[data-key='bridge.servers']"))
                    .getText();
            assertTrue(row.contains("Managed by " + nginx.httpsUrl() + "sipbridge/default.json"), row);
            assertTrue(
                    browser.driver().findElement(By.id("f-bridge-vpnAdapter")).isEnabled(),
                    "a local-only key stays editable");
            assertTrue(
                    browser.driver().findElement(By.id("f-bridge-name")).isEnabled(),
                    "an unmanaged key stays editable");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("management-state"), "Managed"));
        }
        // home-2's owner disconnects it from the server on its Bridge page, then connects it again.
        try (NamespacedBrowser browser = new NamespacedBrowser(lab, "bridge2", dir.resolve("browser2"))) {
            WebDriverWait wait = new WebDriverWait(browser.driver(), Duration.ofSeconds(30));
            browser.driver().get("http://127.0.0.1:8080/#/config/bridge");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("management-state"), "Managed"));
            click(browser, "management-disconnect");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("management-state"), "Not managed"));
            wait.until(ExpectedConditions.elementToBeClickable(By.id("f-bridge-servers")));
            assertEquals(
                    "",
                    browser.driver().findElement(By.id("f-bridge-servers")).getAttribute("value"),
                    "its own (empty) list");
            assertEquals(
                    "", home2.get("/api/config").path("management").path("url").asText());
            assertEquals(7200, holdTimeout(home2), "every managed key has its local value again");

            browser.driver().findElement(By.id("f-management-url")).sendKeys(nginx.httpsUrl() + "sipbridge/");
            click(browser, "management-connect");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("management-state"), "Managed"));
            wait.until(
                    ExpectedConditions.attributeToBe(By.id("f-bridge-servers"), "value", lab.fact("PBX_IP") + ":5060"));
            assertFalse(browser.driver().findElement(By.id("f-bridge-servers")).isEnabled(), "managed again");
            assertEquals(1500, holdTimeout(home2));
        }
        String refused = home1.send("PUT", "/api/config", "{\"bridge\": {\"servers\": [\"198.19.2.99:5060\"]}}");
        assertTrue(
                refused.endsWith("400")
                        && refused.contains("bridge.servers")
                        && refused.contains("managed centrally by https://"),
                refused);
        String local = home1.send("PUT", "/api/config", "{\"protocols\": {\"udp\": {\"t1Ms\": 450}}}");
        assertTrue(local.endsWith("200"), local);
    }

    /**
     * Prometheus in the office scrapes both bridges at their VPN addresses' remote-administration port
     * (HTTPS, Basic auth), as docs/fleet.md documents; home-2's VPN drops and only home-2 is alerted.
     */
    private void prometheusScrapesBothAndAlertsForTheOneWhoseVpnDrops() throws Exception {
        String target1 = lab.fact("BRIDGE_VPN_IP") + ":343";
        String target2 = lab.fact("BRIDGE2_VPN_IP") + ":343";
        // Ready needs the phone registered: each home's phone registers through its own bridge.
        assertEquals(
                0,
                LabCalls.registerPhoneFrom(lab, "phone", "1001", 5061).exitCode(),
                home1.process().output());
        assertEquals(
                0,
                LabCalls.registerPhoneFrom(lab, "phone2", "1002", 5061).exitCode(),
                home2.process().output());
        String login = "{\"oldUser\":\"\",\"oldPassword\":\"\",\"newUser\":\"" + SCRAPE_USER + "\",\"newPassword\":\""
                + SCRAPE_PASSWORD + "\"}";
        for (BridgeDaemon home : List.of(home1, home2)) {
            String set = home.changeCredentials(login);
            assertTrue(set.endsWith("204"), set);
            home.useLogin(SCRAPE_USER, SCRAPE_PASSWORD);
        }
        Path config = Prometheus.labConfig(
                dir.resolve("prometheus"),
                SCRAPE_USER,
                SCRAPE_PASSWORD,
                List.of(remoteAdminCertificate("bridge"), remoteAdminCertificate("bridge2")),
                "- targets: ['" + target1 + "', '" + target2 + "']\n  labels: {site: fleet}\n");
        try (Prometheus prometheus = Prometheus.start(lab, "pbx", lab.fact("PBX_IP"), config, config.getParent())) {
            JsonNode ready = prometheus.awaitResult(
                    "count(sipbridge_ready{job=\"sipbridge\",site=\"fleet\"} == 1) == 2", Duration.ofSeconds(60));
            assertEquals(1, ready.size(), ready.toString());

            LabNetwork.Result down = lab.exec("bridge2", "ip", "link", "set", lab.fact("VPN_IF"), "down");
            assertEquals(0, down.exitCode(), down.output());
            long dropped = System.nanoTime();
            JsonNode firing =
                    prometheus.awaitFiring("SipbridgeNotReady", Map.of("instance", target2), Duration.ofSeconds(60));
            System.out.printf(
                    "SipbridgeNotReady fired for home-2 %.1f s after its VPN dropped (for: 10s in the lab)%n",
                    (System.nanoTime() - dropped) / 1e9);
            assertEquals("critical", firing.path("labels").path("severity").asText(), firing.toString());
            for (JsonNode alert : prometheus.api("alerts").path("alerts")) {
                assertFalse(
                        target1.equals(alert.path("labels").path("instance").asText())
                                && "SipbridgeNotReady"
                                        .equals(alert.path("labels")
                                                .path("alertname")
                                                .asText()),
                        "home-1 is not alerted: " + alert);
            }
            assertEquals(
                    1, prometheus.query("up{instance=\"" + target1 + "\"} == 1").size(), "home-1 is still scraped");
            lab.exec("bridge2", "ip", "link", "set", lab.fact("VPN_IF"), "up");
        }
    }

    /** nginx stops: both run on; home-1 restarted without a server starts from its cache and reaches the PBX. */
    private void bothKeepWorkingFromTheirCacheWhenTheServerIsGone(String pbxServer) throws Exception {
        nginx.stop();
        for (BridgeDaemon home : List.of(home1, home2)) {
            JsonNode failing = home.await(
                    "/api/management", m -> "failing".equals(m.path("state").asText()), Duration.ofSeconds(20));
            assertTrue(failing.path("problem").asText().contains("cannot fetch"), failing.toString());
            assertEquals(
                    pbxServer,
                    home.get("/api/config")
                            .path("bridge")
                            .path("servers")
                            .path(0)
                            .asText());
        }
        home1.close();
        // The same file as before: the local settings, now with the administrator login.
        String file = Files.readString(dir.resolve("bridge").resolve("sipbridge.json"));
        home1 = BridgeDaemon.start(lab, "bridge", dir.resolve("bridge"), file, Map.of());
        home1.useLogin(SCRAPE_USER, SCRAPE_PASSWORD);
        assertEquals(
                pbxServer,
                home1.get("/api/config").path("bridge").path("servers").path(0).asText());
        assertEquals(600, holdTimeout(home1));
        home1.await(
                "/api/status",
                s -> "UP".equals(s.path("servers").path(0).path("state").asText()),
                Duration.ofSeconds(20));
    }

    /** Clicks a button once scrolled to the middle of the window (the page's action bar sticks to the bottom). */
    private static void click(NamespacedBrowser browser, String id) {
        org.openqa.selenium.WebElement button = browser.driver().findElement(By.id(id));
        browser.driver().executeScript("arguments[0].scrollIntoView({block: 'center'})", button);
        button.click();
    }

    /** A bridge with IT's lab CA in its management trust (the pins file), as IT would roll it out. */
    private static BridgeDaemon startBridge(String host, String name) {
        try {
            Path work = dir.resolve(host);
            Files.createDirectories(work.resolve("data"));
            Files.copy(
                    labCa,
                    work.resolve("data").resolve("management-server-trusted.pem"),
                    StandardCopyOption.REPLACE_EXISTING);
            return BridgeDaemon.start(lab, host, work, localConfig(name), Map.of());
        } catch (Exception e) {
            throw new IllegalStateException(host + " did not start", e);
        }
    }

    private static String localConfig(String name) {
        return """
                {"bridge": {"name": "%s", "servers": [], "lanAdapter": "eth0", "vpnAdapter": "tun0"},
                 "management": {"url": "%s", "pollSeconds": %d}}
                """.formatted(name, nginx.httpsUrl() + "sipbridge/", POLL_SECONDS);
    }

    private static Path remoteAdminCertificate(String host) {
        return dir.resolve(host).resolve("data").resolve("remote-admin-cert.pem");
    }

    private static void publish(String file, String json) throws Exception {
        nginx.publish("sipbridge/" + file, json);
    }

    private static int holdTimeout(BridgeDaemon home) throws Exception {
        return home.get("/api/config").path("media").path("holdTimeoutSec").asInt();
    }
}
