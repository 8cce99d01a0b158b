package org.sipbridge.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A baresip 1.0 user agent (Debian baresip-core) in a lab namespace, headless: its own config
 * directory, a tone WAV as the microphone (aufile), every received and sent stream dumped to WAV
 * (sndfile), no sound card at all (without an auplay module baresip decodes and filters but plays
 * nothing). It is driven through its ctrl_tcp module by an {@code nc} in the same namespace: JSON
 * commands in, JSON events (CALL_INCOMING, CALL_ESTABLISHED, CALL_DTMF_START…) out.
 */
final class Baresip implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final int toneHz;
    private final Path configDir;
    private final LabProcess process;
    private final Process control;
    private final Path eventsFile;
    private final OutputStream commands;
    private final Map<String, Integer> consumed = new HashMap<>();
    private int token;

    private Baresip(String name, int toneHz, Path configDir, LabProcess process, Process control, Path eventsFile) {
        this.name = name;
        this.toneHz = toneHz;
        this.configDir = configDir;
        this.process = process;
        this.control = control;
        this.eventsFile = eventsFile;
        this.commands = control.getOutputStream();
    }

    /**
     * A user agent in {@code host}'s namespace listening for SIP on {@code listen} (ip:port, UDP and
     * TCP), registering {@code account} (a baresip accounts line), playing a {@code toneHz} tone into
     * every call. {@code instanceId}: load the uuid module, so that the REGISTER's Contact carries
     * {@code +sip.instance="<urn:uuid:…>"} (baresip 1.0 does not ask for a GRUU: no {@code Supported: gruu}).
     */
    static Baresip start(
            LabNetwork lab,
            String host,
            Path dir,
            String name,
            String listen,
            int rtpBase,
            String account,
            int toneHz,
            boolean instanceId)
            throws Exception {
        Path configDir = dir.resolve(name);
        Files.createDirectories(configDir);
        Path tone = ToneWav.pcm16(configDir.resolve("tone" + toneHz + ".wav"), toneHz, 120);
        int controlPort = Integer.parseInt(listen.substring(listen.indexOf(':') + 1)) + 1000;
        Files.writeString(configDir.resolve("config"), """
                poll_method\tepoll
                sip_listen\t%s
                audio_source\taufile,%s
                audio_alert\tnone,none
                rtp_ports\t%d-%d
                module_path\t/usr/lib/baresip/modules
                %s
                module\tg711.so
                module\taufile.so
                module\tsndfile.so
                snd_path\t%s
                module_app\taccount.so
                module_app\tmenu.so
                module_app\tctrl_tcp.so
                ctrl_tcp_listen\t127.0.0.1:%d
                """.formatted(
                        listen,
                        tone,
                        rtpBase,
                        rtpBase + 99,
                        instanceId ? "module\tuuid.so" : "", // before the accounts: their first REGISTER carries it
                        configDir,
                        controlPort));
        Files.writeString(configDir.resolve("accounts"), account + "\n");
        LabProcess process = lab.start(host, configDir, Map.of(), "baresip", "-f", configDir.toString(), "-v");
        process.awaitOutput("baresip is ready.", Duration.ofSeconds(15));
        Path events = configDir.resolve("events.ns");
        Process control = new ProcessBuilder(lab.inHost(host, List.of("nc", "127.0.0.1", String.valueOf(controlPort))))
                .redirectOutput(events.toFile())
                .redirectError(configDir.resolve("nc.err").toFile())
                .start();
        Baresip baresip = new Baresip(name, toneHz, configDir, process, control, events);
        baresip.command("reginfo", null); // the answer proves the control channel is up
        baresip.awaitResponse();
        return baresip;
    }

    /** An accounts line: {@code user}@sipbridge.lab over {@code transport}, all requests via {@code proxy} (ip:port). */
    static String account(String user, String password, String proxy, String transport) {
        return "<sip:%s@sipbridge.lab;transport=%s>;auth_pass=%s;outbound=\"sip:%s;transport=%s\";regint=300;answermode=auto;audio_codecs=PCMU"
                .formatted(user, transport, password, proxy, transport);
    }

    /** Waits until every account of this agent is registered (reginfo shows OK), whenever that happened. */
    void awaitRegistered() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            command("reginfo", null);
            String info = awaitResponse().path("data").asText();
            if (info.contains("OK") && !info.contains("ERR") && !info.contains("zZ")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not register: " + info + "\n" + process.output());
            }
            Thread.sleep(200);
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** Runs a baresip command ({@code dial}, {@code hangup}, {@code hold}, {@code sndcode}, {@code transfer}…). */
    void command(String command, String params) throws IOException {
        ObjectNode json = JSON.createObjectNode().put("command", command);
        if (params != null) {
            json.put("params", params);
        }
        byte[] body = json.put("token", String.valueOf(++token)).toString().getBytes(StandardCharsets.UTF_8);
        commands.write((body.length + ":").getBytes(StandardCharsets.US_ASCII));
        commands.write(body);
        commands.write(',');
        commands.flush();
    }

    /** The response to the last command; fails if baresip refused it. */
    JsonNode awaitResponse() throws Exception {
        String expected = String.valueOf(token);
        JsonNode response = await(
                message -> message.path("response").asBoolean()
                        && expected.equals(message.path("token").asText()),
                "the response to command " + expected,
                Duration.ofSeconds(10));
        if (!response.path("ok").asBoolean()) {
            throw new AssertionError(name + " refused command " + expected + ": " + response + "\n" + process.output());
        }
        return response;
    }

    /** Waits for the {@code n}th event (1-based) of {@code type} since start; returns it. */
    JsonNode awaitEvent(String type, int n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<JsonNode> matching = events(type);
            if (matching.size() >= n) {
                return matching.get(n - 1);
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError(name + ": no event " + type + " #" + n + " within " + timeout + "; events: "
                        + messages().stream()
                                .map(e -> e.path("type").asText() + "("
                                        + e.path("param").asText() + ")")
                                .toList()
                        + "\n" + process.output());
            }
            Thread.sleep(100);
        }
    }

    /** Waits for the next event of {@code type} not yet returned by this method (it may have come already). */
    JsonNode awaitEvent(String type) throws Exception {
        int next = consumed.merge(type, 1, Integer::sum);
        return awaitEvent(type, next, Duration.ofSeconds(15));
    }

    /** The events of {@code type} so far. */
    List<JsonNode> events(String type) throws IOException {
        return messages().stream()
                .filter(m -> m.path("event").asBoolean()
                        && type.equals(m.path("type").asText()))
                .toList();
    }

    private JsonNode await(Predicate<JsonNode> wanted, String what, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (JsonNode message : messages()) {
                if (wanted.test(message)) {
                    return message;
                }
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError(name + ": no " + what + " within " + timeout + "\n" + process.output());
            }
            Thread.sleep(100);
        }
    }

    /** The netstrings ctrl_tcp wrote so far, decoded. */
    private List<JsonNode> messages() throws IOException {
        byte[] bytes = Files.readAllBytes(eventsFile);
        List<JsonNode> messages = new ArrayList<>();
        int at = 0;
        while (true) {
            int colon = indexOf(bytes, (byte) ':', at);
            if (colon < 0) {
                return messages;
            }
            int length = Integer.parseInt(new String(bytes, at, colon - at, StandardCharsets.US_ASCII).trim());
            if (colon + 1 + length >= bytes.length) {
                return messages; // still being written
            }
            messages.add(JSON.readTree(new String(bytes, colon + 1, length, StandardCharsets.UTF_8)));
            at = colon + 1 + length + 1; // past the ','
        }
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** What the far end sent to this agent in its latest call (the decoder's output, sndfile's "-dec.wav"). */
    Path lastReceived() throws IOException {
        return latestDump("-dec.wav");
    }

    private Path latestDump(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(configDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix))
                    .max(Comparator.comparing((Path f) -> f.toFile().lastModified())
                            .thenComparing(Path::toString))
                    .orElseThrow(() -> new AssertionError(name + " recorded nothing in " + configDir));
        }
    }

    /** The frequency of the tone this agent plays into its calls. */
    int toneHz() {
        return toneHz;
    }

    /** The instance id the uuid module generated (the {@code +sip.instance} of this agent's REGISTERs). */
    String instanceUuid() throws IOException {
        return Files.readString(configDir.resolve("uuid")).trim();
    }

    String output() {
        return process.output();
    }

    /** Quits (baresip unregisters first), then stops the process and its control connection. */
    @Override
    public void close() throws Exception {
        try {
            if (process.isAlive() && control.isAlive()) {
                command("quit", null);
                for (int i = 0; i < 50 && process.isAlive(); i++) {
                    Thread.sleep(100);
                }
            }
        } finally {
            process.close();
            control.destroy();
            control.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
