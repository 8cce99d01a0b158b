package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Toolkit;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipbridge.daemon.tray.TrayIcons;

/**
 * The tray icon of the real daemon in the lab: the jar runs in the bridge namespace with DISPLAY set
 * to an Xvfb screen whose tray is trayer. Not Ready (red) at start, Ready (green) once a SIPp phone has
 * registered through the bridge with Kamailio, Not Ready again when the VPN adapter goes down; each
 * state is read from screenshots taken by another process. Skipped without Xvfb/trayer.
 */
class TrayLabIT {

    @TempDir
    Path dir;

    @Test
    void trayFollowsTheBridgeState() throws Exception {
        assumeTrue(onPath("Xvfb") && onPath("trayer"), "Xvfb and trayer are needed (lab/setup.sh installs them)");
        int number = 150 + (int) (ProcessHandle.current().pid() % 100);
        String display = ":" + number;
        try (LabProcess x = LabProcess.start(
                        List.of("Xvfb", display, "-screen", "0", "640x200x24", "-nolisten", "tcp"), dir, Map.of());
                LabNetwork lab = LabNetwork.up("ty" + ProcessHandle.current().pid() % 100000)) {
            awaitFile(Path.of("/tmp/.X11-unix/X" + number));
            try (LabProcess tray = LabProcess.start(
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
                    dir,
                    Map.of("DISPLAY", display))) {
                Thread.sleep(1500);
                try (Kamailio pbx = Kamailio.start(lab, dir.resolve("kamailio"), lab.fact("PBX_IP"), 5060);
                        BridgeDaemon daemon = BridgeDaemon.start(
                                lab,
                                dir.resolve("bridge"),
                                """
                        {"bridge": {"servers": ["%s:5060"], "lanAdapter": "eth0", "vpnAdapter": "tun0"}}
                        """.formatted(lab.fact("PBX_IP")),
                                Map.of("DISPLAY", display))) {
                    daemon.process().awaitOutput("Tray icon shown", Duration.ofSeconds(60));
                    awaitColour(display, TrayIcons.NOT_READY, "not ready at start");

                    LabNetwork.Result registered = Sipp.run(
                            lab,
                            "phone",
                            "phone-register.xml",
                            lab.fact("PHONE_IP"),
                            5061,
                            lab.fact("BRIDGE_LAN_IP") + ":8060",
                            "-key",
                            "domain",
                            "sipbridge.lab",
                            "-s",
                            "1001",
                            "-ap",
                            "pass1001");
                    assertEquals(
                            0,
                            registered.exitCode(),
                            registered.output() + daemon.process().output());
                    assertEquals("READY", awaitState(daemon, "READY"));
                    awaitColour(display, TrayIcons.READY, "ready once the phone registered");

                    assertEquals(
                            0,
                            lab.exec("bridge", "ip", "link", "set", "tun0", "down")
                                    .exitCode());
                    assertEquals("NOT_READY", awaitState(daemon, "NOT_READY"));
                    awaitColour(display, TrayIcons.NOT_READY, "not ready with the VPN down");
                }
            }
        }
    }

    private static String awaitState(BridgeDaemon daemon, String state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String now = daemon.status().path("state").asText();
        while (!now.equals(state) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            now = daemon.status().path("state").asText();
        }
        return now;
    }

    /** Screenshots (from a separate JVM) until the colour fills a tray icon's disc, and no other icon colour shows. */
    private void awaitColour(String display, Color colour, String what) throws Exception {
        Color other = colour.equals(TrayIcons.READY) ? TrayIcons.NOT_READY : TrayIcons.READY;
        Path shot = dir.resolve("screen.png");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            ProcessBuilder grab = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                            Grab.class.getName(),
                            shot.toString())
                    .inheritIO();
            grab.environment().put("DISPLAY", display);
            Process p = grab.start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "screenshot");
            BufferedImage image = ImageIO.read(shot.toFile());
            if (count(image, colour) >= 40 && count(image, other) == 0) {
                System.out.println("[tray] " + what + ": " + count(image, colour) + " icon pixels of " + colour);
                return;
            }
            assertTrue(System.nanoTime() < deadline, what + ": icon colour " + colour + " not on screen");
            Thread.sleep(500);
        }
    }

    private static int count(BufferedImage image, Color colour) {
        int rgb = colour.getRGB() & 0xFFFFFF;
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                n += (image.getRGB(x, y) & 0xFFFFFF) == rgb ? 1 : 0;
            }
        }
        return n;
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(file)) {
            assertTrue(System.nanoTime() < deadline, "waited for " + file);
            Thread.sleep(100);
        }
    }

    private static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
    }

    /** The screenshot taker: saves $DISPLAY's screen as PNG. */
    public static final class Grab {
        public static void main(String[] args) throws Exception {
            ImageIO.write(
                    new Robot()
                            .createScreenCapture(
                                    new Rectangle(Toolkit.getDefaultToolkit().getScreenSize())),
                    "png",
                    new File(args[0]));
        }
    }
}
