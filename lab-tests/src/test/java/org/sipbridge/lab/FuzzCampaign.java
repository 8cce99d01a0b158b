package org.sipbridge.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sipbridge.lab.attack.FuzzSender;

/**
 * The fuzz/stress campaign of issue #14 against a running bridge in the lab: Kamailio as the PBX, the
 * packaged daemon, a SIPp phone registered through it; then {@link FuzzSender}s in the phone's
 * namespace (SIP UDP/TCP to the LAN SIP port, DHCP to 67) and in the PBX's namespace (the same to the
 * VPN SIP port and 67) send mutated inputs at a fixed rate. Meanwhile the phone re-registers and places
 * a call every {@code phoneCheckSeconds}; afterwards it must still register and call. Reports crashes,
 * what the daemon holds more than before (fds, threads, RTP port pairs, calls), ERROR lines, and writes
 * the report as Markdown.
 *
 * <pre>FuzzCampaign inputs=1000000 rate=500 seed=14 report=target/fuzz-report.md [vpnShare=0.3] [phoneCheckSeconds=60] [maxSeconds=0 | until=ISO-INSTANT]</pre>
 * (lab/attack/fuzz.sh runs it; root and lab/setup.sh's packages needed.)
 */
final class FuzzCampaign {

    /** {@code maxSeconds}: the senders stop there even if not all inputs went out (0: no limit). */
    /**
     * {@code holdSeconds}: how long the daemon may keep holding more than before once sending stopped
     * before it counts as a leak; 0 for the short default (see {@link #settle}). The SIP listeners close
     * a connection only after 120 s without a byte, so a full campaign waits longer than that.
     */
    record Options(
            long inputs,
            double rate,
            long seed,
            double vpnShare,
            int phoneCheckSeconds,
            long maxSeconds,
            Path workDir,
            int holdSeconds) {

        Options(
                long inputs,
                double rate,
                long seed,
                double vpnShare,
                int phoneCheckSeconds,
                long maxSeconds,
                Path workDir) {
            this(inputs, rate, seed, vpnShare, phoneCheckSeconds, maxSeconds, workDir, 0);
        }
    }

    record PhoneChecks(int registered, int registerFailed, int called, int callFailed) {
        String text() {
            return "registered " + registered + "/" + (registered + registerFailed) + ", called " + called + "/"
                    + (called + callFailed);
        }
    }

    record Report(
            Options options,
            double seconds,
            Map<String, String> lanSender,
            Map<String, String> vpnSender,
            boolean daemonAlive,
            DaemonSample baseline,
            DaemonSample peak,
            DaemonSample after,
            DaemonSample leaked,
            PhoneChecks during,
            PhoneChecks afterwards,
            List<String> errorLines,
            long refusedRequests,
            List<String> newDescriptors,
            List<String> newThreads) {

        long inputsSent() {
            return Long.parseLong(lanSender.getOrDefault("sent", "0"))
                    + Long.parseLong(vpnSender.getOrDefault("sent", "0"));
        }

        int crashes() {
            return daemonAlive ? 0 : 1;
        }

        long threadDeaths() {
            return errorLines.stream()
                    .filter(line -> line.contains("Exception in thread"))
                    .count();
        }

        String markdown() {
            StringBuilder md = new StringBuilder();
            md.append("| Figure | Value |\n|---|---|\n");
            md.append(String.format(
                    Locale.ROOT,
                    "| Inputs sent | %,d (LAN side %s, VPN side %s) |%n",
                    inputsSent(),
                    lanSender.getOrDefault("sent", "0"),
                    vpnSender.getOrDefault("sent", "0")));
            md.append(String.format(
                    Locale.ROOT,
                    "| Mix | SIP/UDP %s, SIP/TCP %s (%s connections), DHCP %s |%n",
                    sum("sip_udp"),
                    sum("sip_tcp"),
                    sum("tcp_connections"),
                    sum("dhcp")));
            double sending = Math.max(
                    Double.parseDouble(lanSender.getOrDefault("seconds", "0")),
                    Double.parseDouble(vpnSender.getOrDefault("seconds", "0")));
            md.append(String.format(
                    Locale.ROOT,
                    "| Seed, rate | %d, %.0f inputs/s asked, %.0f inputs/s achieved (%.0f s sending, %.0f s in all) |%n",
                    options.seed(),
                    options.rate(),
                    inputsSent() / sending,
                    sending,
                    seconds));
            md.append("| Crashes | ").append(crashes()).append(" |\n");
            md.append("| Leaked (after - before) | fds ")
                    .append(leaked.fds())
                    .append(", threads ")
                    .append(leaked.threads())
                    .append(", RTP port pairs ")
                    .append(leaked.freePortPairs())
                    .append(", calls ")
                    .append(leaked.callsActive())
                    .append(newDescriptors.isEmpty() ? "" : " (" + String.join(", ", newDescriptors) + ")")
                    .append(newThreads.isEmpty() ? "" : " (threads: " + String.join(", ", newThreads) + ")")
                    .append(" |\n");
            md.append("| Before / peak / after | fds ")
                    .append(baseline.fds())
                    .append('/')
                    .append(peak.fds())
                    .append('/')
                    .append(after.fds())
                    .append(", threads ")
                    .append(baseline.threads())
                    .append('/')
                    .append(peak.threads())
                    .append('/')
                    .append(after.threads())
                    .append(", free port pairs ")
                    .append(baseline.freePortPairs())
                    .append('/')
                    .append(peak.freePortPairs())
                    .append('/')
                    .append(after.freePortPairs())
                    .append(" |\n");
            md.append("| Phone during | ").append(during.text()).append(" |\n");
            md.append("| Phone after | ").append(afterwards.text()).append(" |\n");
            md.append("| Send errors | SIP/UDP ")
                    .append(sum("sip_udp_errors"))
                    .append(", SIP/TCP ")
                    .append(sum("sip_tcp_errors"))
                    .append(", DHCP ")
                    .append(sum("dhcp_errors"))
                    .append(" |\n");
            md.append("| Requests refused (metric) | ").append(refusedRequests).append(" |\n");
            md.append("| Uncaught exceptions (threads that died) | ")
                    .append(threadDeaths())
                    .append(" |\n");
            md.append("| ERROR lines in the daemon log | ")
                    .append(errorLines.size())
                    .append(" |\n");
            errorKinds(errorLines).entrySet().stream()
                    .limit(12)
                    .forEach(kind -> md.append("| - ")
                            .append(kind.getKey()
                                    .replace("|", "\\|")
                                    .replace("`", "'")
                                    .strip())
                            .append(" | ")
                            .append(kind.getValue())
                            .append(" |\n"));
            return md.toString();
        }

        private long sum(String key) {
            return Long.parseLong(lanSender.getOrDefault(key, "0")) + Long.parseLong(vpnSender.getOrDefault(key, "0"));
        }
    }

    private final Options options;
    private final LabNetwork lab;
    private final BridgeDaemon daemon;
    private int phoneChecks;
    /** The LAN sender's address: a second device in the phone's namespace. */
    static final String LAN_ATTACKER_IP = "198.18.1.66";

    private FuzzCampaign(Options options, LabNetwork lab, BridgeDaemon daemon) {
        this.options = options;
        this.lab = lab;
        this.daemon = daemon;
    }

    /** Builds the lab, runs the campaign, tears the lab down. */
    static Report run(Options options) throws Exception {
        try (LabNetwork lab = LabNetwork.up("fz" + ProcessHandle.current().pid() % 100000);
                Kamailio pbx = Kamailio.start(lab, options.workDir().resolve("kamailio"), lab.fact("PBX_IP"), 5060);
                BridgeDaemon daemon =
                        LabCalls.startBridge(lab, options.workDir().resolve("bridge"))) {
            return new FuzzCampaign(options, lab, daemon).attack();
        }
    }

    private Report attack() throws Exception {
        // Warm up (lazy pools, JIT, the first call's threads) so the baseline is the steady state.
        if (!phoneRegisters() || !phoneCalls()) {
            throw new AssertionError("the phone does not register and call before any attack:\n"
                    + daemon.process().output());
        }
        // The web UI's XNIO worker starts a thread per request until its fixed pool is full (Undertow sets
        // core = max threads); the campaign's own /metrics reads would otherwise fill it during the attack.
        for (int i = 0; i < 16; i++) {
            daemon.getText("/metrics");
        }
        Thread.sleep(2000);
        DaemonSample baseline = DaemonSample.of(daemon);
        Map<String, String> descriptorsBefore = descriptors();
        Map<String, Long> threadsBefore = DaemonSample.threadNames(daemon);
        DaemonSample peak = baseline;
        long vpnInputs = Math.round(options.inputs() * options.vpnShare());
        long lanInputs = options.inputs() - vpnInputs;
        Instant started = Instant.now();
        String stopAt = String.valueOf(
                options.maxSeconds() > 0 ? System.currentTimeMillis() + 1000 * options.maxSeconds() : Long.MAX_VALUE);
        // The attacker is another device on the home LAN, not the phone's own address: the bridge rightly
        // treats everything from one address as one device (a guesser there blocks that address's passwords).
        LabNetwork.Result added = lab.exec("phone", "ip", "addr", "add", LAN_ATTACKER_IP + "/24", "dev", "eth0");
        if (added.exitCode() != 0) {
            throw new AssertionError("could not add the attacker's address: " + added.output());
        }
        LabProcess lanSender = sender(
                "phone",
                "lan",
                lab.fact("BRIDGE_LAN_IP"),
                LAN_ATTACKER_IP,
                lanInputs,
                options.rate() * lanInputs / options.inputs(),
                stopAt);
        LabProcess vpnSender = sender(
                "pbx",
                "vpn",
                lab.fact("BRIDGE_VPN_IP"),
                lab.fact("PBX_IP"),
                vpnInputs,
                options.rate() * vpnInputs / options.inputs(),
                stopAt);
        int registered = 0;
        int registerFailed = 0;
        int called = 0;
        int callFailed = 0;
        try {
            Instant nextCheck = Instant.now().plusSeconds(Math.min(10, options.phoneCheckSeconds()));
            while ((lanSender.isAlive() || vpnSender.isAlive())
                    && daemon.process().isAlive()) {
                Thread.sleep(500);
                peak = DaemonSample.max(peak, DaemonSample.of(daemon));
                if (Instant.now().isAfter(nextCheck)) {
                    if (phoneRegisters()) {
                        registered++;
                    } else {
                        registerFailed++;
                    }
                    if (phoneCalls()) {
                        called++;
                    } else {
                        callFailed++;
                    }
                    nextCheck = Instant.now().plusSeconds(options.phoneCheckSeconds());
                }
            }
        } finally {
            lanSender.close();
            vpnSender.close();
        }
        double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
        boolean alive = daemon.process().isAlive();
        DaemonSample after = alive ? settle(baseline) : baseline;
        PhoneChecks afterwards = alive
                ? new PhoneChecks(phoneRegisters() ? 1 : 0, 0, phoneCalls() ? 1 : 0, 0)
                : new PhoneChecks(0, 1, 0, 1);
        afterwards = new PhoneChecks(
                afterwards.registered(), 1 - afterwards.registered(), afterwards.called(), 1 - afterwards.called());
        long refused =
                alive ? DaemonSample.metric(daemon.getText("/metrics"), "sipbridge_sip_refused_requests_total") : -1;
        List<String> newDescriptors = new ArrayList<>();
        if (alive && after.callsActive() > baseline.callsActive()) {
            keepSessions();
        }
        if (alive) {
            descriptors().forEach((fd, target) -> {
                if (!target.equals(descriptorsBefore.get(fd))) {
                    newDescriptors.add(fd + " -> " + target);
                }
            });
        }
        List<String> newThreads = new ArrayList<>();
        if (alive) {
            DaemonSample.threadNames(daemon).forEach((name, count) -> {
                long more = count - threadsBefore.getOrDefault(name, 0L);
                if (more > 0) {
                    newThreads.add(more + " × " + name);
                }
            });
        }
        return new Report(
                options,
                seconds,
                result(lanSender),
                result(vpnSender),
                alive,
                baseline,
                peak,
                after,
                after.minus(baseline),
                new PhoneChecks(registered, registerFailed, called, callFailed),
                afterwards,
                errorLines(daemon.process().output()),
                refused,
                newDescriptors,
                newThreads);
    }

    /**
     * Waits until the daemon holds no more than before; if it still holds more after 35 s (SIP
     * transactions end after 32 s), until what it holds stops changing for 5 s, at most 90 s; while
     * calls are still active, the full 90 s (a media timeout may still end them). With
     * {@code holdSeconds} set, simply up to that long.
     */
    private DaemonSample settle(DaemonSample baseline) throws Exception {
        long start = System.nanoTime();
        DaemonSample sample = DaemonSample.of(daemon);
        DaemonSample previous = null;
        int unchanged = 0;
        while (!sample.minus(baseline).within(new DaemonSample(0, 0, 0, 0))) {
            long elapsed = System.nanoTime() - start;
            if (options.holdSeconds() > 0) {
                if (elapsed > Duration.ofSeconds(options.holdSeconds()).toNanos()) {
                    break;
                }
            } else if (elapsed > Duration.ofSeconds(90).toNanos()
                    || (elapsed > Duration.ofSeconds(35).toNanos()
                            && unchanged >= 5
                            && sample.callsActive() <= baseline.callsActive())) {
                break;
            }
            Thread.sleep(1000);
            previous = sample;
            sample = DaemonSample.of(daemon);
            unchanged = sample.equals(previous) ? unchanged + 1 : 0;
        }
        return sample;
    }

    /** Keeps /api/sessions in the work directory, to see which calls outlived the attack. */
    private void keepSessions() {
        try {
            Path file = options.workDir().resolve("sessions-after.json");
            Files.writeString(file, daemon.getText("/api/sessions"));
            System.out.println("fuzz campaign: calls still active afterwards, sessions kept in " + file);
        } catch (Exception | AssertionError e) {
            System.out.println("fuzz campaign: could not keep /api/sessions: " + e);
        }
    }

    /** The daemon's open descriptors: number to what they point at (socket:[inode], a file path...). */
    private Map<String, String> descriptors() throws java.io.IOException {
        Map<String, String> targets = new java.util.TreeMap<>();
        Path fds = Path.of("/proc", String.valueOf(daemon.process().pid()), "fd");
        try (java.util.stream.Stream<Path> entries = Files.list(fds)) {
            for (Path fd : entries.toList()) {
                try {
                    targets.put(
                            fd.getFileName().toString(),
                            Files.readSymbolicLink(fd).toString());
                } catch (java.io.IOException e) {
                    // closed while listing
                }
            }
        }
        return targets;
    }

    private LabProcess sender(
            String host, String side, String bridge, String self, long count, double rate, String stopAt)
            throws Exception {
        Path classes = Path.of(FuzzSender.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        return lab.start(
                host,
                options.workDir().resolve("sender-" + side),
                Map.of(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                classes.toString(),
                FuzzSender.class.getName(),
                "side=" + side,
                "bridge=" + bridge,
                "self=" + self,
                "domain=sipbridge.lab",
                "sipPort=8060",
                "dhcpPort=67",
                "seed=" + options.seed(),
                "first=0",
                "count=" + count,
                "rate=" + String.format(Locale.ROOT, "%.3f", Math.max(rate, 0.001)),
                "stopAt=" + stopAt);
    }

    private static Map<String, String> result(LabProcess sender) {
        Map<String, String> values = new LinkedHashMap<>();
        sender.output()
                .lines()
                .filter(line -> line.startsWith("result "))
                .reduce((a, b) -> b)
                .ifPresent(line -> {
                    for (String pair : line.substring(7).split(" ")) {
                        int eq = pair.indexOf('=');
                        values.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                });
        if (values.isEmpty()) {
            throw new AssertionError("a fuzz sender printed no result:\n" + sender.output());
        }
        return values;
    }

    private boolean phoneRegisters() throws Exception {
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
        if (registered.exitCode() != 0) {
            System.err.println("fuzz campaign: phone registration failed:\n" + tail(registered.output()));
        }
        return registered.exitCode() == 0;
    }

    private boolean phoneCalls() throws Exception {
        int check = phoneChecks++;
        Path dir = options.workDir().resolve("call-" + check);
        Files.createDirectories(dir);
        LabProcess callee = LabCalls.callee(lab, dir, "uas-answer.xml", 6000 + 10 * (check % 100));
        try {
            LabNetwork.Result call = LabCalls.phoneCalls(lab, dir, "phone-call.xml", 5062);
            boolean ok = call.exitCode() == 0;
            if (!ok) {
                System.err.println("fuzz campaign: phone call " + check + " failed:\n" + tail(call.output()));
            }
            return ok;
        } finally {
            callee.close();
        }
    }

    /** Lines of the daemon's log at ERROR level, and anything that means a thread died or memory ran out. */
    /**
     * A line the daemon logged at level ERROR (its pattern starts with date, time and level); not a line
     * at another level whose escaped text merely contains "ERROR", as a forged-log-line attack leaves.
     */
    private static final java.util.regex.Pattern LOGGED_AT_ERROR =
            java.util.regex.Pattern.compile("^\\s*\\d{4}-\\d{2}-\\d{2} [\\d:.]+ ERROR ");

    static List<String> errorLines(String log) {
        List<String> errors = new ArrayList<>();
        for (String line : log.split("\n")) {
            if (LOGGED_AT_ERROR.matcher(line).find()
                    || line.contains("Exception in thread")
                    || line.contains("OutOfMemoryError")
                    || line.contains("StackOverflowError")) {
                errors.add(line);
            }
        }
        return errors;
    }

    /** ERROR lines grouped by what they say (numbers and dumped bytes left out), most frequent first. */
    static Map<String, Long> errorKinds(List<String> errorLines) {
        Map<String, Long> kinds = new java.util.TreeMap<>();
        for (String line : errorLines) {
            String message = line.contains("Exception in thread")
                    ? line.substring(line.indexOf("Exception in thread"))
                    : line.contains(" - ") ? line.substring(line.indexOf(" - ") + 3) : line;
            int bytes = message.indexOf('[');
            if (bytes > 0) {
                message = message.substring(0, bytes);
            }
            message = message.replaceAll("\\d+", "N").replaceAll("/[0-9N.]+", "/IP");
            kinds.merge(message.length() > 90 ? message.substring(0, 90) : message, 1L, Long::sum);
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        kinds.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    }

    /** {@code maxSeconds=N} counts from when sending starts; {@code until=2026-12-04T20:05:00Z} is a wall-clock end. */
    private static long maxSeconds(Map<String, String> given) {
        if (given.containsKey("until")) {
            long left = Duration.between(Instant.now(), Instant.parse(given.get("until")))
                    .toSeconds();
            if (left <= 60) {
                throw new IllegalArgumentException(
                        "until=" + given.get("until") + " leaves no time to send (" + left + " s)");
            }
            return left - 45; // about what building the lab and the warm-up call take
        }
        return Long.parseLong(given.getOrDefault("maxSeconds", "0"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> given = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("arguments are key=value, got " + arg);
            }
            given.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Path report = Path.of(given.getOrDefault("report", "fuzz-report.md"));
        Path workDir = Files.createTempDirectory("sipbridge-fuzz-");
        Options options = new Options(
                Long.parseLong(given.getOrDefault("inputs", "1000000")),
                Double.parseDouble(given.getOrDefault("rate", "500")),
                Long.parseLong(given.getOrDefault("seed", "14")),
                Double.parseDouble(given.getOrDefault("vpnShare", "0.3")),
                Integer.parseInt(given.getOrDefault("phoneCheckSeconds", "60")),
                maxSeconds(given),
                workDir,
                Integer.parseInt(given.getOrDefault("holdSeconds", "150")));
        System.out.println("fuzz campaign: " + options);
        Report result = run(options);
        StringBuilder text = new StringBuilder(result.markdown());
        if (!result.errorLines().isEmpty()) {
            text.append("\nERROR lines (first 20):\n\n");
            result.errorLines().stream()
                    .limit(20)
                    .forEach(line -> text.append("    ").append(line).append('\n'));
        }
        Files.writeString(report, text);
        System.out.println(text);
        System.out.println(
                "fuzz campaign: report written to " + report.toAbsolutePath() + "; work directory " + workDir);
        boolean clean = result.crashes() == 0
                && result.leaked().within(new DaemonSample(0, 0, 0, 0))
                && result.afterwards().registered() == 1
                && result.afterwards().called() == 1;
        System.exit(clean ? 0 : 1);
    }
}
