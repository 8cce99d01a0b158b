package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A second device on the home LAN (198.18.1.66, an extra address of the phone namespace) floods the
 * bridge's SIP UDP port 8060 for 15 s, as fast as one Python process sends, while the registered
 * phone (SIPp) registers and calls through the bridge to a SIPp callee behind the real Kamailio.
 * Datagrams the bridge's one receiving thread per listening point cannot keep up with wait in the
 * socket's bounded receive buffer and the kernel drops the rest, so the phone's retransmissions get
 * through and the bridge's threads, descriptors and memory stay bounded. Figures are printed
 * ("SIP UDP flood ...") for the closing note.
 */
class SipFloodLabIT {

    private static final String INTRUDER_IP = "198.18.1.66";
    private static final int FLOOD_SECONDS = 15;
    private static final long RSS_GROWTH_LIMIT_KIB = 32 * 1024;
    /** System property: a directory for jcmd thread dumps and class histograms taken during the flood. */
    private static final String DIAGNOSE_DIR = "sipbridge.lab.diagnoseDir";

    /**
     * Sends for argv[3] seconds from argv[1]:5099 to argv[2]:8060 as fast as it can, prints how many
     * it sent: 200 random bytes each, or (argv[4] "requests") those round-robin with OPTIONS,
     * REGISTER and INVITE, each of its own transaction.
     */
    private static final String FLOOD_SCRIPT = """
            import os, socket, sys, time
            source, target, seconds = sys.argv[1], (sys.argv[2], 8060), float(sys.argv[3])
            step = 1 if sys.argv[4] == 'requests' else 4
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind((source, 5099))
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # the bridge's answers are not read
            def request(method, n):
                return ('%s sip:2000@sipbridge.lab SIP/2.0\\r\\nVia: SIP/2.0/UDP %s:5099;branch=z9hG4bK-f%d;rport\\r\\n'
                        'From: <sip:1066@sipbridge.lab>;tag=f%d\\r\\nTo: <sip:2000@sipbridge.lab>\\r\\n'
                        'Call-ID: flood-%d@lab\\r\\nCSeq: 1 %s\\r\\nContact: <sip:1066@%s:5099>\\r\\n'
                        'Max-Forwards: 70\\r\\nContent-Length: 0\\r\\n\\r\\n'
                        % (method, source, n, n, n, method, source)).encode()
            kinds = [lambda n: os.urandom(200), lambda n: request('OPTIONS', n),
                     lambda n: request('REGISTER', n), lambda n: request('INVITE', n)]
            print('flooding', flush=True)
            sent, n, end = 0, 0, time.monotonic() + seconds
            while time.monotonic() < end:
                for _ in range(100):
                    n += step
                    try:
                        s.sendto(kinds[n % 4](n), target)
                        sent += 1
                    except OSError:
                        pass
            print('sent %d datagrams in %.0f s' % (sent, seconds), flush=True)
            """;

    @RegisterExtension
    static final BridgeLab LAB = BridgeLab.withPbx("sf");

    private BridgeDaemon daemon;

    @AfterEach
    void stopDaemon() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    /** The defence of the one receiving thread per listening point: the old unbounded queue filled the heap. */
    @Test
    void aGarbageFloodFromAnotherLanDeviceLeavesThePhoneAbleToRegisterAndCall() throws Exception {
        floodWhileThePhoneCalls("garbage");
    }

    /**
     * Not defended yet: each well-formed request is parsed on the listening point's thread and queued,
     * with its new server transaction, for jain-sip's one EventScannerThread (REENTRANT_LISTENER off),
     * whose queue is unbounded; the listener handles far fewer per second than one Python process
     * sends (2.1 M datagrams in 15 s), so ~15 k queued requests of ~6 KiB fill the 128 MiB heap
     * within 3 s (RSS 104 -> 229 MiB), then an OutOfMemoryError ends the EventScannerThread and the
     * LAN UDP thread: the phone gets no answer during the flood nor after it (the heap stays full).
     * MAX_SERVER_TRANSACTIONS bounds nothing in jain-sip 1.3.0-91. Run with
     * {@code -Dsipbridge.lab.diagnoseDir=DIR} for thread dumps and class histograms.
     */
    @Disabled("finding of issue #19: a flood of well-formed requests fills the heap through jain-sip's event queue")
    @Test
    void aRequestFloodFromAnotherLanDeviceLeavesThePhoneAbleToRegisterAndCall() throws Exception {
        floodWhileThePhoneCalls("requests");
    }

    private void floodWhileThePhoneCalls(String mix) throws Exception {
        LabNetwork lab = LAB.lab();
        daemon = LabCalls.startBridge(lab, LAB.dir().resolve("flood-" + mix));
        daemon.await(
                "/api/status",
                status ->
                        "UP".equals(status.path("servers").path(0).path("state").asText()),
                Duration.ofSeconds(15));
        assertEquals(
                0,
                lab.exec("phone", "ip", "addr", "add", INTRUDER_IP + "/24", "dev", "eth0")
                        .exitCode());
        assertCallWorks(5061, "before the flood");
        Footprint before = Footprint.of(daemon);
        Footprint.Peak peak = new Footprint.Peak(before);

        String sent;
        LabNetwork.Result during;
        long duringMillis;
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try (LabProcess flood = lab.start(
                "phone",
                LAB.dir().resolve("intruder-" + mix),
                Map.of(),
                "python3",
                "-c",
                FLOOD_SCRIPT,
                INTRUDER_IP,
                lab.fact("BRIDGE_LAN_IP"),
                String.valueOf(FLOOD_SECONDS),
                mix)) {
            sampler.scheduleAtFixedRate(() -> peak.add(daemon), 0, 500, TimeUnit.MILLISECONDS);
            String diagnoseDir = System.getProperty(DIAGNOSE_DIR);
            if (diagnoseDir != null) {
                ScheduledExecutorService diagnose = Executors.newSingleThreadScheduledExecutor();
                for (int at : new int[] {2, 18, 30, 45}) {
                    diagnose.schedule(() -> jcmd(Path.of(diagnoseDir), mix, at), at, TimeUnit.SECONDS);
                }
                diagnose.shutdown();
            }
            flood.awaitOutput("flooding", Duration.ofSeconds(10));
            Thread.sleep(1000); // the bridge's socket buffer is full before the phone starts
            long started = System.nanoTime();
            during = phoneCalls(5063);
            duringMillis = (System.nanoTime() - started) / 1_000_000;
            flood.awaitOutput("sent ", Duration.ofSeconds(FLOOD_SECONDS + 5));
            sent = flood.output()
                    .lines()
                    .filter(l -> l.startsWith("sent "))
                    .findFirst()
                    .orElse(flood.output());
        } finally {
            sampler.shutdown();
        }
        boolean alive = daemon.process().isAlive();
        Thread.sleep(1000); // what waited in the socket buffer is handled
        Footprint after = Footprint.of(daemon);
        long started = System.nanoTime();
        LabNetwork.Result afterCall = phoneCalls(5065);
        long afterMillis = (System.nanoTime() - started) / 1_000_000;

        System.out.printf(
                "SIP UDP flood (%s) from %s: %s; the phone's register+call during the flood: exit %d after %d ms,"
                        + " 1 s after it: exit %d after %d ms; bridge alive %s;"
                        + " threads/fds/RSS KiB before %s, peak %s, after %s%n",
                mix,
                INTRUDER_IP,
                sent,
                during.exitCode(),
                duringMillis,
                afterCall.exitCode(),
                afterMillis,
                alive,
                before,
                peak.max(),
                after);
        assertTrue(alive, "the bridge died:\n" + daemon.process().output());
        assertEquals(
                0,
                during.exitCode(),
                "the phone could not register and call during the flood:\n" + during.output()
                        + daemon.process().output());
        assertEquals(
                0,
                afterCall.exitCode(),
                "the phone could not register and call after the flood:\n" + afterCall.output()
                        + daemon.process().output());
        Footprint growth = peak.max().minus(before);
        assertTrue(growth.threads() <= 2 && growth.fds() <= 8, "threads/fds grew by " + growth);
        assertTrue(growth.rssKib() <= RSS_GROWTH_LIMIT_KIB, "RSS grew by " + growth.rssKib() + " KiB");
    }

    /**
     * Diagnosis (#19's request flood): the bridge's thread dumps and class histogram {@code at} s after
     * the flood started, into the directory named by {@link #DIAGNOSE_DIR} (only when it is set).
     */
    private void jcmd(Path into, String mix, int at) {
        try {
            Path dir = Files.createDirectories(into);
            String pid = String.valueOf(daemon.process().pid());
            for (String command : new String[] {"Thread.print", "GC.class_histogram", "Thread.print"}) {
                Path out = dir.resolve(mix + "-" + at + "s-" + command + "-" + System.currentTimeMillis() + ".txt");
                Process p = new ProcessBuilder("timeout", "20", "jcmd", pid, command)
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
                p.waitFor();
            }
        } catch (IOException e) {
            System.err.println("jcmd diagnosis failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the bridge process holds, from /proc (its web API may be too busy to answer during a flood). */
    record Footprint(long threads, long fds, long rssKib) {

        static Footprint of(BridgeDaemon daemon) {
            Path proc = Path.of("/proc", String.valueOf(daemon.process().pid()));
            try (Stream<Path> tasks = Files.list(proc.resolve("task"));
                    Stream<Path> fds = Files.list(proc.resolve("fd"))) {
                Matcher rss =
                        Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB").matcher(Files.readString(proc.resolve("status")));
                return new Footprint(tasks.count(), fds.count(), rss.find() ? Long.parseLong(rss.group(1)) : -1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Footprint minus(Footprint base) {
            return new Footprint(threads - base.threads, fds - base.fds, rssKib - base.rssKib);
        }

        @Override
        public String toString() {
            return threads + "/" + fds + "/" + rssKib;
        }

        /** The largest of each figure seen, sampled from another thread. */
        static final class Peak {
            private Footprint max;

            Peak(Footprint first) {
                max = first;
            }

            synchronized void add(BridgeDaemon daemon) {
                if (daemon.process().isAlive()) {
                    Footprint now = of(daemon);
                    max = new Footprint(
                            Math.max(max.threads, now.threads),
                            Math.max(max.fds, now.fds),
                            Math.max(max.rssKib, now.rssKib));
                }
            }

            synchronized Footprint max() {
                return max;
            }
        }
    }

    /**
     * The phone registers from {@code port} and calls 2000 through the bridge (SIPp retransmits over
     * UDP; each request until SIP's Timer B/F, 32 s).
     */
    private void assertCallWorks(int port, String when) throws Exception {
        LabNetwork.Result call = phoneCalls(port);
        assertEquals(
                0,
                call.exitCode(),
                "the phone could not register and call " + when + ":\n" + call.output()
                        + daemon.process().output());
    }

    /**
     * The phone registers from {@code port} and calls 2000 through the bridge; SIPp retransmits as a
     * phone does, until SIP's transaction timeout (Timer B/F, 64 T1 = 32 s) for each request.
     */
    private LabNetwork.Result phoneCalls(int port) throws Exception {
        LabNetwork lab = LAB.lab();
        String[] retransmitUntilTimerF = {"-timeout", "32", "-max_invite_retrans", "7", "-max_non_invite_retrans", "10"
        };
        LabProcess callee = LabCalls.callee(lab, LAB.dir(), "uas-answer.xml", 6000 + port);
        try {
            LabNetwork.Result registered = Sipp.run(
                    lab,
                    "phone",
                    "phone-register.xml",
                    lab.fact("PHONE_IP"),
                    port,
                    lab.fact("BRIDGE_LAN_IP") + ":8060",
                    concat(
                            new String[] {"-key", "domain", "sipbridge.lab", "-s", "1001", "-ap", "pass1001"},
                            retransmitUntilTimerF));
            if (registered.exitCode() != 0) {
                return registered;
            }
            return LabCalls.call(
                    lab,
                    LAB.dir(),
                    "phone-call.xml",
                    lab.fact("PHONE_IP"),
                    port,
                    lab.fact("BRIDGE_LAN_IP") + ":8060",
                    "1001",
                    "2000",
                    port + 2000,
                    retransmitUntilTimerF);
        } finally {
            callee.close();
        }
    }

    private static String[] concat(String[] first, String[] second) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(first), java.util.Arrays.stream(second))
                .toArray(String[]::new);
    }
}
