package org.sipbridge.daemon.tray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The tray under a real X server: Xvfb with trayer as the system-tray host (XEmbed, as on a Linux
 * desktop). The real {@link StatusTray} runs in {@link TrayHarness}; the test switches its status and
 * takes screenshots from a third process, then counts the icon colours' pixels; finally it opens the
 * menu with a right-click and clicks Exit, which must end the process with 0. Skipped when Xvfb or
 * trayer is missing ({@code lab/setup.sh} installs both). With {@code -Dsipbridge.writeScreenshots=true}
 * it also saves the tray area into docs/screenshots/.
 */
class TrayXvfbIT {

    private static final int DISPLAY = 90 + (int) (ProcessHandle.current().pid() % 100);
    private final List<Process> processes = new ArrayList<>();

    @Test
    void iconSwitchesBetweenReadyAndNotReadyOnScreen() throws Exception {
        assumeTrue(onPath("Xvfb") && onPath("trayer"), "Xvfb and trayer are needed (lab/setup.sh installs them)");
        String display = ":" + DISPLAY;
        start(List.of("Xvfb", display, "-screen", "0", "640x200x24", "-nolisten", "tcp"), display);
        waitFor(() -> Files.exists(Path.of("/tmp/.X11-unix/X" + DISPLAY)), "Xvfb's socket");
        start(
                List.of(
                        "trayer",
                        "--edge",
                        "top",
                        "--align",
                        "right",
                        "--widthtype",
                        "request",
                        "--height",
                        "32",
                        "--transparent",
                        "false",
                        "--tint",
                        "0xdddddd",
                        "--SetDockType",
                        "false",
                        "--expand",
                        "false"),
                display);
        Thread.sleep(1500); // trayer must own the tray selection before the icon is added

        Process tray = start(List.of(java(), "-cp", classPath(), TrayHarness.class.getName()), display);
        BufferedReader out = new BufferedReader(new InputStreamReader(tray.getInputStream(), StandardCharsets.UTF_8));
        Writer in = tray.outputWriter(StandardCharsets.UTF_8);
        assertEquals("shown", readUntilMarker(out, "shown", "no tray"));

        BufferedImage notReady = screenUntil(display, "tray-not-ready", TrayIcons.NOT_READY);
        assertTrue(count(notReady, TrayIcons.NOT_READY) >= 40, "red Not Ready icon on screen");
        assertEquals(0, count(notReady, TrayIcons.READY), "no green while Not Ready");

        in.write("READY\n");
        in.flush();
        BufferedImage ready = screenUntil(display, "tray-ready", TrayIcons.READY);
        assertEquals(0, count(ready, TrayIcons.NOT_READY), "no red once Ready");

        in.write("NOT_READY\n");
        in.flush();
        BufferedImage again = screenUntil(display, "tray-not-ready-again", TrayIcons.NOT_READY);
        assertEquals(0, count(again, TrayIcons.READY), "back to Not Ready");

        // The menu, as a user opens it: right-click the icon, then click its last item, Exit.
        int[] icon = centre(again, TrayIcons.NOT_READY);
        robot(display, "click", icon[0], icon[1], "right");
        Thread.sleep(1500);
        Path menuShot = Path.of("target", "tray-menu.png");
        robot(display, menuShot.toString());
        BufferedImage menu = ImageIO.read(menuShot.toFile());
        int column = menu.getWidth() - 30;
        int bottom = 0;
        for (int y = 40; y < menu.getHeight(); y++) {
            if ((menu.getRGB(column, y) & 0xFFFFFF) != 0) {
                bottom = y; // the popup's lowest pixel below the tray (screen is black)
            }
        }
        assertTrue(bottom > 50, "a popup menu opened under the icon");
        if (Boolean.getBoolean("sipbridge.writeScreenshots")) {
            BufferedImage area =
                    menu.getSubimage(menu.getWidth() - 460, 0, 460, Math.min(menu.getHeight(), bottom + 12));
            ImageIO.write(
                    area,
                    "png",
                    Path.of("..", "docs", "screenshots", "tray-menu.png").toFile());
        }
        robot(display, "click", column, bottom - 10, "left");
        assertTrue(tray.waitFor(30, TimeUnit.SECONDS), "Exit ends the process");
        assertEquals(0, tray.exitValue(), "Exit is an orderly exit");
    }

    /** The centre of the pixels of one colour (the icon's disc). */
    private static int[] centre(BufferedImage image, Color colour) {
        int rgb = colour.getRGB() & 0xFFFFFF;
        long sx = 0;
        long sy = 0;
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    sx += x;
                    sy += y;
                    n++;
                }
            }
        }
        return new int[] {(int) (sx / n), (int) (sy / n)};
    }

    /** Runs {@link ScreenGrab} (screenshot, or click) against the display as a process of its own. */
    private static void robot(String display, Object... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "-cp", classPath(), ScreenGrab.class.getName()));
        for (Object a : args) {
            command.add(String.valueOf(a));
        }
        ProcessBuilder builder =
                new ProcessBuilder(command).inheritIO().redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("DISPLAY", display);
        Process p = builder.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "robot " + args[0]);
    }

    /** Screenshots every half second until the icon colour shows (generous: the machine is loaded). */
    private BufferedImage screenUntil(String display, String name, Color expected) throws Exception {
        Path file = Path.of("target", name + ".png");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        BufferedImage image;
        do {
            Thread.sleep(500);
            robot(display, file.toString());
            image = ImageIO.read(file.toFile());
        } while (count(image, expected) < 40 && System.nanoTime() < deadline);
        assertTrue(count(image, expected) >= 40, name + ": icon colour " + expected + " on screen");
        if (Boolean.getBoolean("sipbridge.writeScreenshots") && !name.endsWith("-again")) {
            saveTrayArea(image, Path.of("..", "docs", "screenshots", name + ".png"));
        }
        return image;
    }

    /** The top-right corner where trayer sits, enlarged 3x so the 32-px icon is visible in docs. */
    private static void saveTrayArea(BufferedImage screen, Path target) throws IOException {
        int w = 96;
        int h = 32;
        BufferedImage crop = screen.getSubimage(screen.getWidth() - w, 0, w, h);
        BufferedImage big = new BufferedImage(w * 3, h * 3, BufferedImage.TYPE_INT_RGB);
        big.createGraphics().drawImage(crop, 0, 0, w * 3, h * 3, null);
        Files.createDirectories(target.getParent());
        ImageIO.write(big, "png", target.toFile());
    }

    static int count(BufferedImage image, Color colour) {
        int rgb = colour.getRGB() & 0xFFFFFF;
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    private Process start(List<String> command, String display) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("DISPLAY", display);
        Process p = builder.start();
        processes.add(0, p);
        return p;
    }

    private static String readUntilMarker(BufferedReader out, String ok, String bad) throws IOException {
        for (String line; (line = out.readLine()) != null; ) {
            if (line.equals(ok) || line.equals(bad)) {
                return line;
            }
        }
        return "exited";
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "waited for " + what);
            Thread.sleep(100);
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
