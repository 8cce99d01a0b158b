package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Sessions page during a real call: Chromium in the bridge namespace opens the web UI while the
 * phone (SIPp) talks to an echoing callee through the bridge; the list shows the call, and its detail
 * shows the quality the RTP relay measures, with the chart once a few samples are taken.
 */
class SessionsPageLabIT {

    @RegisterExtension
    static final RegisteredPhoneLab LAB = new RegisteredPhoneLab("sp");

    @Test
    void theSessionsPageListsTheCallAndItsDetailShowsQuality() throws Exception {
        Path scenario = LAB.call().audioCallScenario("long-call", 9);
        LabProcess callee = LAB.call().echoCallee("callee");
        try (NamespacedBrowser browser =
                new NamespacedBrowser(LAB.call().lab, "bridge", LAB.dir().resolve("browser"))) {
            Thread.sleep(300); // SIPp binds its port
            CompletableFuture<LabNetwork.Result> call = CompletableFuture.supplyAsync(() -> {
                try {
                    return LAB.call().phoneCalls(scenario, 5064, 10000);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            WebDriverWait wait = new WebDriverWait(browser.driver(), Duration.ofSeconds(30));
            // The page redraws the call every 2 s: a cell read just as it is replaced is read again.
            wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
            browser.driver().get("http://127.0.0.1:8080/#/status/sessions");
            WebElement link = wait.until(
                    ExpectedConditions.presenceOfElementLocated(
                            By.xpath(
                                    "//tr[not(contains(@class,'ended'))][.//td[contains(@class,'from') and text()='Lab Phone']]//a[contains(@class,'call-link')]")));
            String callId = link.getAttribute("title");
            link.click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("call-id"), callId));
            // Packets counted in both directions, and a MOS computed while the call goes on.
            wait.until(d ->
                    number(d.findElement(By.cssSelector("td[data-metric='Packets'][data-direction='lanToVpn']"))) > 50
                            && number(d.findElement(
                                            By.cssSelector("td[data-metric='Packets'][data-direction='vpnToLan']")))
                                    > 20);
            double mos = wait.until(
                    d -> number(d.findElement(By.cssSelector("td[data-metric='MOS'][data-direction='lanToVpn']"))));
            assertTrue(mos > 3.5 && mos <= 4.5, "MOS of a clean lab call: " + mos);
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#quality-charts polyline")));
            if (Boolean.getBoolean("sipbridge.writeScreenshots")) {
                // A real call's detail for docs/web-ui.md (the pages' other screenshots come from WebUiBrowserTest).
                wait.until(d ->
                        number(d.findElement(By.cssSelector("td[data-metric='Packets'][data-direction='lanToVpn']")))
                                > 300);
                browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(1366, 1900));
                java.nio.file.Files.copy(
                        browser.driver()
                                .getScreenshotAs(org.openqa.selenium.OutputType.FILE)
                                .toPath(),
                        LabNetwork.REPO.resolve("docs/screenshots/lab-call-detail.png"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            String page = browser.driver().findElement(By.id("session-detail")).getText();
            System.out.println("session detail during the call:\n" + page);
            assertTrue(page.contains("G.711"), page);
            assertTrue(page.contains("phone → bridge") && page.contains("INVITE (SDP)"), "the SIP timeline: " + page);

            LabNetwork.Result result = call.get();
            assertEquals(
                    0,
                    result.exitCode(),
                    result.output() + "\n" + LAB.call().daemon.process().output());
        } finally {
            callee.close();
        }
    }

    private static double number(WebElement cell) {
        String text = cell.getText().replaceAll("[^0-9.]", "");
        return text.isEmpty() ? -1 : Double.parseDouble(text);
    }
}
