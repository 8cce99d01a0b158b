package org.sipbridge.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven through the system's chromedriver (never a downloaded one), with
 * generous waits for a loaded machine, the browser console for CSP violations and script errors, and
 * screenshots into docs/screenshots when {@code -Dsipbridge.writeScreenshots=true}.
 */
public final class Browser implements AutoCloseable {

    public static final Path CHROMEDRIVER =
            Path.of(System.getProperty("sipbridge.chromedriver", "/usr/bin/chromedriver"));
    public static final Path CHROMIUM = Path.of(System.getProperty("sipbridge.chromium", "/usr/bin/chromium"));

    private final ChromeDriver driver;
    private final WebDriverWait wait;

    public Browser() {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--window-size=1366,900",
                "--force-prefers-reduced-motion",
                "--no-first-run",
                "--disable-extensions",
                "--user-data-dir=" + tempProfile());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    /** Whether this machine has the browser and its driver (lab/setup.sh installs them). */
    public static boolean available() {
        return Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
    }

    private static String tempProfile() {
        try {
            return Files.createTempDirectory("chromium-profile").toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    public WebElement find(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    public WebElement present(String css) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public void waitForText(String css, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
    }

    public void waitForValue(String css, String value) {
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector(css), "value", value));
    }

    public void type(String css, String text) {
        WebElement input = find(css);
        input.clear();
        input.sendKeys(text);
    }

    /**
     * Clicks the element {@code css} names, finding it again if the page redrew it between finding and
     * clicking (the status pages redraw every 2 s; under load that race is often lost).
     */
    public void click(String css) {
        wait.until(driver -> {
            try {
                WebElement element = ExpectedConditions.elementToBeClickable(By.cssSelector(css))
                        .apply(driver);
                if (element == null) {
                    return false;
                }
                element.click();
                return true;
            } catch (StaleElementReferenceException redrawn) {
                return false;
            }
        });
    }

    public Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    /** Console errors since the last call (CSP violations and uncaught script errors land here). */
    public List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                // 4xx answers the pages expect (no untrusted certificate, validation errors) are logged too
                .filter(message -> !message.contains("the server responded with a status of 4"))
                .toList();
    }

    /** Saves the window as docs/screenshots/{name}.png when asked to (-Dsipbridge.writeScreenshots=true). */
    public void screenshot(String name) throws IOException {
        if (!Boolean.getBoolean("sipbridge.writeScreenshots")) {
            return;
        }
        Path dir = Path.of(System.getProperty("sipbridge.screenshotDir", "../docs/screenshots"));
        Files.createDirectories(dir);
        // Full page height, so that long pages are shown whole.
        Number height = (Number) driver.executeScript("return Math.max(document.body.scrollHeight, 900)");
        driver.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of(
                        "width",
                        1366,
                        "height",
                        Math.min(height.intValue(), 2400),
                        "deviceScaleFactor",
                        1,
                        "mobile",
                        false));
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), dir.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    @Override
    public void close() {
        driver.quit();
    }
}
