package org.sipbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.sipbridge.config.persistence.ConfigFile;

/**
 * The pages in headless Chromium against a real web admin server and config file (status, calls and
 * adapters are made up by {@link UiFixture}). Writes docs/screenshots with -Dsipbridge.writeScreenshots=true.
 */
class WebUiBrowserTest {

    private static Browser browser;
    private UiFixture ui;

    @BeforeAll
    static void startBrowser() {
        Assumptions.assumeTrue(Browser.available(), "needs Debian chromium and chromium-driver (lab/setup.sh)");
        browser = new Browser();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        ui = new UiFixture();
        browser.consoleErrors();
    }

    @AfterEach
    void stop() throws Exception {
        List<String> errors = browser.consoleErrors();
        // Leave the page first: a page still polling a stopped server would log into the next test.
        browser.open("about:blank");
        ui.close();
        assertEquals(List.of(), errors, "no script errors or CSP violations in the console");
    }

    private void open(String page) {
        browser.open(ui.base + "/#/" + page);
    }

    @Test
    void everyPageOpensAndIsScreenshotted() throws Exception {
        open("status/bridge");
        browser.waitForText("#bridge-state", "Ready");
        browser.waitForText("#status-body", "198.19.2.10:5060");
        browser.waitForText("#status-body", "sip:1001@198.18.1.10:5060");
        browser.waitForText("#status-body", "14 ms");
        browser.waitForText("#phone-outbound-proxy", "198.18.1.1:5060");
        browser.screenshot("status-bridge");

        open("status/sessions");
        browser.waitForText("#sessions-body", "Sales queue");
        browser.screenshot("status-sessions");

        open("status/sessions/" + java.net.URLEncoder.encode("a84b4c76e66710@198.18.1.10", "UTF-8"));
        browser.waitForText("#session-detail", "Phone → PBX");
        browser.present("#quality-charts polyline");
        browser.waitForText("#timeline", "200 OK (SDP)");
        browser.waitForText("#quality-warnings", "packet loss of 1 % or more");
        browser.screenshot("status-session-detail");

        open("status/phones");
        browser.waitForText("#phones-body", "00:04:f2:aa:bb:cc");
        browser.screenshot("status-phones");

        open("status/about");
        browser.waitForText("#machine-name", "golf");
        browser.waitForText("#elapsed", "s");
        browser.screenshot("status-about");

        open("status/check");
        browser.waitForText("#check-body", "does not offer the self-check yet");
        browser.screenshot("status-self-check");

        open("config/bridge");
        browser.waitForValue("#f-bridge-lanAdapter", "eth0");
        browser.waitForValue("#f-bridge-vpnAdapter", "tun0");
        browser.waitForText("#connection-state", "Connected");
        browser.screenshot("config-bridge");

        open("config/authentication");
        browser.waitForText("#stations", "Front desk");
        browser.screenshot("config-authentication");

        open("config/protocols");
        browser.waitForValue("#f-protocols-udp-t1Ms", "500");
        browser.find("#cipher-suites input[value='TLS_AES_128_GCM_SHA256']");
        browser.screenshot("config-protocols");

        open("config/media");
        browser.waitForText("#media-properties", "Every media property has its default value");
        new org.openqa.selenium.support.ui.Select(browser.find("#property-picker")).selectByValue("media.rtpPortRange");
        browser.click("#add-property");
        browser.waitForValue("#m-rtpPortRange", "16384-32767");
        browser.screenshot("config-media");

        open("config/diagnostics");
        browser.waitForValue("#f-diagnostics-traceLevels-sip", "INFO");
        browser.waitForText("#log-location", "/home/jane/.local/share/sipbridge/logs");
        browser.screenshot("config-diagnostics");

        open("config/administration");
        browser.waitForText("#credentials-state", "No login is set");
        browser.screenshot("config-administration");

        open("certificate");
        browser.waitForText("#certificate-body", "No untrusted certificate");
        browser.screenshot("certificate");
    }

    @Test
    void thePhonesPageListsEveryPhoneWithItsDetailsAndTheLimitAndTheBridgePageLinksToIt() throws Exception {
        open("status/bridge");
        browser.waitForText("#phone-limit", "1 of at most 1 phones registered");
        browser.waitForText("#phones-refused", "last: 198.18.1.77");
        browser.click("#phones-link");

        browser.waitForText("#phones-body", "00:04:f2:aa:bb:cc");
        browser.waitForText("#phones-body", "Polycom-VVX450");
        browser.waitForText("#phones-body", "REGISTERED");
        browser.waitForText("#phones-body", "403 Phone limit of this bridge reached");
        browser.waitForText("#phones-body", "1 in call");
        browser.waitForText("#phones-refused", "Raise bridge.maxPhones");
        browser.waitForText("#phones-body", UiFixture.SCRIPT_NAME);
        assertEquals(0L, browser.script("return document.querySelectorAll('#phones-body script').length"));

        browser.click("details[data-phone='00:04:f2:aa:bb:cc'] summary");
        browser.waitForText("details[data-phone='00:04:f2:aa:bb:cc']", "GET /3111-48400-001.sip.ld");
        browser.waitForText("details[data-phone='00:04:f2:aa:bb:cc']", "4.30");
        // The page polls every 2 s; an opened phone stays open when the list is drawn again.
        String opened = "document.querySelector(\"details[data-phone='00:04:f2:aa:bb:cc']\")";
        browser.script(opened + ".dataset.drawn = 'before'");
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), java.time.Duration.ofSeconds(10))
                .until(d -> browser.script("return " + opened + ".dataset.drawn") == null);
        assertEquals(true, browser.script("return " + opened + ".open"));
    }

    @Test
    void statusUpdatesByItselfWithoutReload() {
        open("status/bridge");
        browser.waitForText("#bridge-state", "Ready");
        browser.script("window.marker = 'same page'");
        String first = browser.find(".live").getText();
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), java.time.Duration.ofSeconds(30))
                .until(d -> !browser.find(".live").getText().equals(first));
        assertEquals("same page", browser.script("return window.marker"), "polling, not reloading");
    }

    @Test
    void aProtocolsChangeIsAppliedPersistedAndLive() throws Exception {
        open("config/protocols");
        browser.waitForValue("#f-protocols-udp-t1Ms", "500");
        browser.type("#f-protocols-udp-t1Ms", "450");
        browser.click("#apply");
        browser.waitForText("#apply-message", "Applied");
        assertEquals(450, ConfigFile.load(ui.configFile).protocols().udp().t1Ms(), "persisted to the file");
        HttpResponse<String> live = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(ui.base + "/api/config"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertTrue(live.body().contains("\"t1Ms\" : 450") || live.body().contains("\"t1Ms\":450"), live.body());

        browser.type("#f-protocols-udp-t1Ms", "999");
        browser.click("#revert");
        browser.waitForValue("#f-protocols-udp-t1Ms", "450");
        assertEquals(450, ui.store.current().protocols().udp().t1Ms());
    }

    @Test
    void centrallyManagedKeysAreReadOnlyWithTheReasonAndOtherKeysStayEditable() throws Exception {
        ui.store.applyCentral(new org.sipbridge.config.central.CentralDocument(
                (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree("{\"bridge\": {\"servers\": [\"10.1.0.1:5060\"]}}"),
                "https://prov.example.com/sipbridge/default.json",
                "3f2a9c01d4e5"));
        open("config/bridge");
        browser.waitForValue("#f-bridge-servers", "10.1.0.1:5060");
        assertFalse(browser.find("#f-bridge-servers").isEnabled(), "a managed key is read-only");
        assertTrue(browser.find("[data-key='bridge.servers']")
                .getText()
                .contains("Managed by https://prov.example.com/sipbridge/default.json; change it there."));
        assertTrue(browser.find("#f-bridge-name").isEnabled(), "an unmanaged key stays editable");
        browser.waitForText("#management-state", "Managed");
        assertTrue(browser.find("#management-state").getText().contains("3f2a9c01d4e5"));

        browser.type("#f-bridge-name", "kitchen");
        browser.click("#apply");
        browser.waitForText("#apply-message", "Applied");
        assertEquals("kitchen", ConfigFile.load(ui.configFile).bridge().name());
        assertEquals(
                List.of("198.19.2.10:5060", "198.19.2.11:5060"),
                ConfigFile.load(ui.configFile).bridge().servers(),
                "the file keeps the local servers");
        browser.screenshot("config-bridge-managed");
    }

    @Test
    void anInvalidValueShowsTheServersMessageNextToTheFieldAndNothingIsApplied() throws Exception {
        String before = Files.readString(ui.configFile);
        open("config/protocols");
        browser.waitForValue("#f-protocols-udp-t1Ms", "500");
        browser.type("#f-protocols-udp-t1Ms", "-5");
        browser.type("#f-protocols-tcp-connectTimeoutSec", "soon");
        browser.type("#f-protocols-udp-t2Ms", "1200");
        browser.click("#apply");
        browser.waitForText("#f-protocols-udp-t1Ms-error", "was -5");
        browser.waitForText("#f-protocols-tcp-connectTimeoutSec-error", "soon");
        browser.waitForText("#apply-message", "Nothing was applied");
        assertEquals(before, Files.readString(ui.configFile));
        assertEquals(1000, ui.store.current().protocols().udp().t2Ms(), "the valid value was not applied either");
        browser.screenshot("config-invalid-value");
    }

    @Test
    void aDisplayNameWithAScriptTagIsShownAsText() throws Exception {
        open("status/sessions");
        browser.waitForText("#sessions-body", UiFixture.SCRIPT_NAME);
        assertEquals(0L, browser.script("return document.querySelectorAll('#sessions-body script').length"));
        assertEquals(true, browser.script("return window.pwned === undefined"));
        browser.click("a.call-link[title='a84b4c76e66710@198.18.1.10']");
        browser.waitForText("#session-detail h1", UiFixture.SCRIPT_NAME);
        assertEquals(true, browser.script("return window.pwned === undefined"));
    }

    @Test
    void sessionsFilterAndRefresh() {
        open("status/sessions");
        browser.waitForText("#sessions-body", "Reception");
        browser.type("#filter", "Bob");
        browser.click("#filter-button");
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), java.time.Duration.ofSeconds(30))
                .until(d -> !browser.find("#sessions-body").getText().contains("Reception"));
        assertTrue(browser.find("#sessions-body").getText().contains("Jane Doe"));
        browser.click("#refresh");
        browser.waitForText("#sessions-body", "Reception");
        assertEquals("", browser.find("#filter").getAttribute("value"), "Refresh removes the filter");
    }

    @Test
    void stationsAreAddedEditedAndDeletedWithoutShowingPasswords() throws Exception {
        open("config/authentication");
        browser.waitForText("#stations", "Lab phone");
        assertFalse(browser.driver().getPageSource().contains("s3cret"));
        browser.click("#station-add");
        browser.type("#station-name", "Kitchen");
        browser.type("#station-user", "1005");
        browser.type("#station-password", "pw-1005");
        browser.click("#station-done");
        WebElement labRow = browser.find("#stations tr[data-index='1']");
        labRow.findElement(By.cssSelector("button.delete")).click();
        browser.find("#stations tr[data-index='0'] button.edit").click();
        browser.type("#station-name", "Front desk 2");
        browser.click("#station-done");
        browser.click("#apply");
        browser.waitForText("#apply-message", "Applied");
        var stations = ConfigFile.load(ui.configFile).stations();
        assertEquals(2, stations.size());
        assertEquals("Front desk 2", stations.get(0).name());
        assertEquals("s3cret-1001", stations.get(0).password(), "kept: no new password typed");
        assertEquals("pw-1005", stations.get(1).password());
        assertFalse(browser.driver().getPageSource().contains("pw-1005"));
    }

    @Test
    void aMediaPropertyIsAddedAndDeleted() throws Exception {
        open("config/media");
        browser.find("#property-picker option[value='media.rtpDiagnosticCaptureEnabled']");
        assertTrue(
                browser.find("#property-picker option[value='media.rtpPortRange']")
                        .getAttribute("class")
                        .contains("restart"),
                "needs a restart: red");
        new org.openqa.selenium.support.ui.Select(browser.find("#property-picker"))
                .selectByValue("media.rtpDiagnosticCaptureEnabled");
        browser.click("#add-property");
        new org.openqa.selenium.support.ui.Select(browser.find("#m-rtpDiagnosticCaptureEnabled")).selectByValue("true");
        browser.click("#apply");
        browser.waitForText("#apply-message", "Applied");
        assertTrue(ui.store.current().media().rtpDiagnosticCaptureEnabled());
        browser.find("tr[data-key='media.rtpDiagnosticCaptureEnabled'] input.delete")
                .click();
        browser.click("#apply");
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), java.time.Duration.ofSeconds(30))
                .until(d -> !ui.store.current().media().rtpDiagnosticCaptureEnabled());
    }

    @Test
    void traceLevelsChangeAndConnectionToggles() throws Exception {
        open("config/diagnostics");
        browser.waitForValue("#f-diagnostics-traceLevels-sip", "INFO");
        new org.openqa.selenium.support.ui.Select(browser.find("#f-diagnostics-traceLevels-sip"))
                .selectByValue("DEBUG");
        browser.click("#apply");
        browser.waitForText("#apply-message", "Applied");
        assertEquals(
                "DEBUG",
                ConfigFile.load(ui.configFile).diagnostics().traceLevels().get("sip"));
        assertEquals(
                "INFO",
                ConfigFile.load(ui.configFile).diagnostics().traceLevels().get("rtp"));

        open("config/bridge");
        browser.waitForText("#connection-state", "Connected");
        browser.click("#connect-toggle");
        browser.waitForText("#connection-state", "Disconnected");
        assertFalse(ui.connected.get());
        browser.click("#connect-toggle");
        browser.waitForText("#connection-state", "Connected");
    }

    @Test
    void credentialsAreSetThenTheUserLogsOutAndBackIn() throws Exception {
        browser.driver().manage().deleteAllCookies();
        open("config/administration");
        browser.waitForText("#credentials-state", "No login is set");
        browser.type("#a-newUser", "admin");
        browser.type("#a-newPassword", "correct horse");
        browser.type("#a-confirmPassword", "correct horse");
        browser.click("#apply");
        browser.waitForText("#apply-message", "Credentials changed");
        assertEquals("admin", ConfigFile.load(ui.configFile).admin().userName());
        browser.waitForText("#credentials-state", "A login is set");

        browser.click("#logout"); // visible only now that a login is required
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), java.time.Duration.ofSeconds(30))
                .until(d -> d.getCurrentUrl().contains("/login.html"));
        browser.open(ui.base + "/");
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), java.time.Duration.ofSeconds(30))
                .until(d -> d.getCurrentUrl().endsWith("/login.html?next=%2F"));
        browser.type("#user", "admin");
        browser.type("#password", "wrong password");
        browser.click("#login");
        browser.waitForText("#login-error", "Wrong user name or password");
        browser.screenshot("login");
        // The server never serves the login page with such a next; login.js must refuse it on its own too
        // (a tab is dropped by URL parsing: "/<TAB>/evil.example" would become "//evil.example").
        ((org.openqa.selenium.JavascriptExecutor) browser.driver())
                .executeScript(
                        "history.replaceState(null, '', '/login.html?next=' + encodeURIComponent('/\\t/evil.example'))");
        browser.type("#user", "admin");
        browser.type("#password", "correct horse");
        browser.click("#login");
        browser.waitForText("#bridge-state", "Ready");
        assertTrue(browser.driver().getCurrentUrl().startsWith(ui.base + "/"));
        browser.waitForText("#user", "admin");
        browser.driver().manage().deleteAllCookies();
    }
}
