package org.sipbridge.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * linphonec 5.1 (Debian linphone-cli) as the phone on the LAN, headless: a linphonerc of its own, the
 * "files" sound card playing a tone WAV and recording what it receives. linphonec only
 * runs its core loop while readline waits on a terminal, so it runs under {@code script}, which gives
 * it a pseudo-terminal; commands are typed into it and its console output is read back.
 */
final class Linphonec implements AutoCloseable {

    private final String name;
    private final Path home;
    private final LabProcess process;
    private final OutputStream keyboard;
    private Path recording;

    private Linphonec(String name, Path home, LabProcess process, OutputStream keyboard) {
        this.name = name;
        this.home = home;
        this.process = process;
        this.keyboard = keyboard;
    }

    /**
     * linphonec in the phone's namespace on {@code ip}:{@code sipPort} (UDP) registering {@code user}
     * through the bridge at {@code bridge} (ip:port) as its proxy and route, playing a {@code toneHz} tone;
     * answering every call at once if {@code autoAnswer}, else letting it ring.
     */
    static Linphonec start(
            LabNetwork lab,
            Path dir,
            String name,
            String ip,
            int sipPort,
            int rtpPort,
            String bridge,
            String user,
            int toneHz,
            boolean autoAnswer)
            throws Exception {
        Path home = dir.resolve(name);
        Files.createDirectories(home.resolve(".local/share/linphone"));
        Path config = home.resolve("linphonerc");
        // bind_address: the lab has no default route, so linphone cannot find its address by itself and
        // would offer media on 127.0.0.1.
        Files.writeString(config, """
                [sip]
                sip_port=%d
                sip_tcp_port=0
                sip_tls_port=0
                default_proxy=0
                use_rfc2833=1
                use_info=0
                [rtp]
                audio_rtp_port=%d
                bind_address=%s
                [sound]
                echocancellation=0
                [proxy_0]
                reg_proxy=<sip:%s;transport=udp>
                reg_route=<sip:%s;transport=udp;lr>
                reg_identity="Lin Phone" <sip:%s@sipbridge.lab>
                reg_expires=300
                reg_sendregister=1
                publish=0
                [auth_info_0]
                username=%s
                passwd=pass%s
                realm=sipbridge.lab
                domain=sipbridge.lab
                """.formatted(sipPort, rtpPort, ip, bridge, bridge, user, user, user));
        Files.writeString(home.resolve("inputrc"), "set enable-bracketed-paste off\n");
        Path tone = ToneWav.pcm16(home.resolve("tone" + toneHz + ".wav"), toneHz, 120);
        ProcessBuilder builder = new ProcessBuilder(lab.inHost(
                        "phone",
                        List.of(
                                "script",
                                "-qfec",
                                "linphonec " + (autoAnswer ? "-a " : "") + "-c " + config + " -d 0",
                                "/dev/null")))
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("console.out").toFile());
        builder.environment()
                .putAll(Map.of(
                        "HOME",
                        home.toString(),
                        "INPUTRC",
                        home.resolve("inputrc").toString()));
        Process script = builder.start();
        LabProcess process = LabProcess.adopt(script, home.resolve("console.out"), builder.command());
        Linphonec linphonec = new Linphonec(name, home, process, script.getOutputStream());
        process.awaitOutput("linphonec>", Duration.ofSeconds(20));
        linphonec.type("soundcard use files");
        linphonec.type("play " + tone);
        linphonec.recordCallsInto("received.wav");
        return linphonec;
    }

    /** Types one console line (a command, or DTMF digits: a line of digits is sent as RFC 4733 events). */
    void type(String line) throws IOException {
        keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    /** Waits until linphonec printed {@code text} at least {@code times} times. */
    void awaitOutput(String text, int times, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count(output(), text) < times) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError(name + ": \"" + text + "\" not printed " + times + " times within " + timeout
                        + ":\n" + output());
            }
            Thread.sleep(100);
        }
    }

    void awaitOutput(String text) throws InterruptedException {
        awaitOutput(text, 1, Duration.ofSeconds(15));
    }

    /** Waits until the account is registered ({@code status register}). */
    void awaitRegistered() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!output().contains("registered, identity=")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not register:\n" + output());
            }
            type("status register");
            Thread.sleep(300);
        }
    }

    /** From the next call on, linphonec records the received audio into {@code fileName} (in its home). */
    void recordCallsInto(String fileName) throws IOException {
        recording = home.resolve(fileName);
        type("record " + recording);
    }

    /** The WAV linphonec records calls' received audio into. */
    Path recording() {
        return recording;
    }

    String output() {
        return process.output();
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Unregisters (quit alone leaves the binding at the PBX), quits, then stops the process. */
    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            type("unregister");
            Thread.sleep(1000);
            type("quit");
            for (int i = 0; i < 50 && process.isAlive(); i++) {
                Thread.sleep(100);
            }
        }
        process.close();
    }
}
