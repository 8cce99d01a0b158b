package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery without a restart, with real peers (Kamailio, a SIPp phone): the VPN adapter goes down,
 * comes back, and comes back with a new address; the LAN adapter goes down and comes back. Each
 * time the bridge says why it is Not Ready; an adapter back with its old address finds the listeners
 * (and calls) kept, a new address makes the bridge move its relays there on its own and renew the
 * phone's registration from it; the phone can call again. The seconds to Ready are printed (the
 * machine is shared, so the test only bounds them generously).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecoveryLabIT {

    private static final Duration GENEROUS = Duration.ofSeconds(40);
    /** The event's outcome when an adapter comes back as the listeners were bound, or with another address. */
    private static final String KEPT = "listeners and calls in progress kept";
    /** A new VPN address moves the relays (issue 17): calls in progress are kept, nothing restarts them. */
    private static final String MOVED = "calls in progress kept: SIP and RTP moved to";

    private static LabNetwork lab;
    private static Kamailio pbx;
    private static BridgeDaemon daemon;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        lab = LabNetwork.up("rc" + ProcessHandle.current().pid() % 100000);
        pbx = Kamailio.start(lab, dir.resolve("kamailio"), lab.fact("PBX_IP"), 5060);
        daemon = LabCalls.startBridge(lab, dir.resolve("bridge"));
        LabCalls.registerPhone(lab, daemon);
        await(s -> "READY".equals(s.path("state").asText()), "Ready after the phone registered");
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        if (pbx != null) {
            pbx.close();
        }
        if (lab != null) {
            lab.close();
            assertEquals(List.of(), lab.remainingNamespaces());
        }
    }

    /**
     * Issue 19: on Linux the adapter watcher sleeps in a netlink socket until the kernel reports a
     * link or address change (it polled twice a second before): its thread does not wake while the
     * adapters stay as they are, and wakes as soon as an address is added.
     */
    @Test
    @Order(0)
    void theAdapterWatcherSleepsUntilTheKernelReportsAnAddressChange() throws Exception {
        assertTrue(
                daemon.process().output().contains("Network adapter changes: netlink events"),
                daemon.process().output());
        Path watcher = threadNamed(daemon.process().pid(), "adapter-watcher");
        long before = voluntarySwitches(watcher);
        Thread.sleep(3000);
        long idle = voluntarySwitches(watcher) - before;
        assertTrue(idle <= 1, idle + " wake-ups in 3 s with no change (a 500 ms poll makes 6)");

        long beforeChange = voluntarySwitches(watcher);
        ip("addr", "add", "198.18.255.254/32", "dev", "lo"); // no binding changes: a wake-up, and nothing to do
        try {
            long deadline = System.nanoTime() + GENEROUS.toNanos();
            while (voluntarySwitches(watcher) == beforeChange) {
                assertTrue(System.nanoTime() < deadline, "the watcher did not wake for a new address");
                Thread.sleep(20);
            }
        } finally {
            ip("addr", "del", "198.18.255.254/32", "dev", "lo");
        }
    }

    /** /proc/&lt;pid&gt;/task/&lt;tid&gt; of the daemon's thread with this (kernel, 15-character) name. */
    private static Path threadNamed(long pid, String name) throws java.io.IOException {
        try (var tasks = java.nio.file.Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                if (java.nio.file.Files.readString(task.resolve("comm")).strip().equals(name)) {
                    return task;
                }
            }
        }
        throw new AssertionError("no thread named " + name + " in process " + pid);
    }

    private static long voluntarySwitches(Path task) throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        throw new AssertionError("no voluntary_ctxt_switches in " + task);
    }

    @Test
    @Order(1)
    void theBridgeRecoversFromVpnAndLanChangesWithoutARestart() throws Exception {
        String vpn = lab.fact("VPN_IF");
        String oldVpnIp = lab.fact("BRIDGE_VPN_IP");
        String newVpnIp = oldVpnIp.substring(0, oldVpnIp.lastIndexOf('.') + 1) + "2";

        // The VPN drops: Not Ready, and the status names the adapter and what to do.
        ip("link", "set", vpn, "down");
        JsonNode down = await(
                s -> "NOT_READY".equals(s.path("state").asText())
                        && latestEvent(s).contains("went down"),
                "Not Ready with a 'went down' event");
        String reasons = down.path("reasons").toString();
        assertTrue(reasons.contains("\\\"" + vpn + "\\\" cannot be used: adapter " + vpn + " is down"), reasons);
        assertTrue(reasons.contains("Connect the VPN"), reasons);
        assertTrue(latestEvent(down).contains("waiting for it"), latestEvent(down));

        // It comes back with the same address: the listeners (and any call) were kept, nothing to rebind.
        double upSeconds = secondsToReady(() -> ip("link", "set", vpn, "up"), "came back with " + oldVpnIp, KEPT);
        assertCallWorks(5070);

        // It comes back with a new address (the PBX stays reachable in the same subnet).
        double newAddressSeconds = secondsToReady(
                () -> {
                    ip("addr", "del", oldVpnIp + "/24", "dev", vpn);
                    ip("addr", "add", newVpnIp + "/24", "dev", vpn);
                },
                newVpnIp,
                MOVED);
        assertEquals(
                newVpnIp, daemon.status().path("vpnAdapter").path("address").asText());
        List<String> locations = pbx.locations();
        assertTrue(
                locations.stream().anyMatch(l -> l.startsWith("1001 ") && l.contains("@" + newVpnIp + ":")),
                "the PBX's location table does not show the new address: " + locations);
        assertTrue(
                locations.stream().noneMatch(l -> l.contains(oldVpnIp + ":")),
                "the PBX still holds a contact at the old address: " + locations);
        assertCallWorks(5072);

        // The LAN adapter goes down and comes back.
        ip("link", "set", lab.fact("LAN_IF"), "down");
        await(
                s -> "NOT_READY".equals(s.path("state").asText())
                        && latestEvent(s).contains("LAN adapter"),
                "Not Ready after the LAN adapter went down");
        double lanSeconds = secondsToReady(() -> ip("link", "set", lab.fact("LAN_IF"), "up"), "LAN adapter", KEPT);
        assertCallWorks(5074);

        System.out.printf(
                "Recovery: Ready again %.1f s after the VPN adapter came back, %.1f s after it got a new "
                        + "address, %.1f s after the LAN adapter came back%n",
                upSeconds, newAddressSeconds, lanSeconds);
        System.out.println("Recovery events: " + daemon.status().path("events"));
    }

    /**
     * With station credentials the phone's own credentials are never needed: the bridge answers the
     * PBX's challenge to the renewed REGISTER itself (the phone here cannot even authenticate).
     */
    @Test
    @Order(2)
    void withStationCredentialsTheBridgeAnswersThePbxChallengeWhenItRenews() throws Exception {
        daemon.close();
        daemon = BridgeDaemon.start(lab, dir.resolve("bridge-station"), """
                {"bridge": {"servers": ["%s:5060"], "lanAdapter": "eth0", "vpnAdapter": "tun0"},
                 "stations": [{"name": "Desk", "userName": "1001", "password": "pass1001"}]}
                """.formatted(lab.fact("PBX_IP")));
        LabNetwork.Result registered = Sipp.run(
                lab,
                "phone",
                "phone-register-noauth.xml",
                lab.fact("PHONE_IP"),
                5066,
                lab.fact("BRIDGE_LAN_IP") + ":8060",
                "-key",
                "domain",
                "sipbridge.lab",
                "-s",
                "1001");
        assertEquals(
                0, registered.exitCode(), registered.output() + daemon.process().output());
        String vpnIp = await(s -> "READY".equals(s.path("state").asText()), "Ready with a station")
                .path("vpnAdapter")
                .path("address")
                .asText();

        ip("link", "set", lab.fact("VPN_IF"), "down");
        await(
                s -> "NOT_READY".equals(s.path("state").asText())
                        && latestEvent(s).contains("went down"),
                "Not Ready with a 'went down' event");
        // It comes back with another address (with the same one nothing is renewed: the PBX's contact still holds).
        String prefix = vpnIp.substring(0, vpnIp.lastIndexOf('.') + 1);
        String otherIp = prefix + (vpnIp.endsWith(".3") ? "4" : "3");
        double seconds = secondsToReady(
                () -> {
                    ip("addr", "del", vpnIp + "/24", "dev", lab.fact("VPN_IF"));
                    ip("addr", "add", otherIp + "/24", "dev", lab.fact("VPN_IF"));
                    ip("link", "set", lab.fact("VPN_IF"), "up");
                },
                "came back with " + otherIp,
                MOVED);
        assertTrue(
                daemon.process().output().contains("Renewed registration answered 200"),
                daemon.process().output());
        System.out.printf(
                "Recovery with station credentials: Ready again %.1f s after the VPN adapter came back%n", seconds);
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Runs {@code change} and measures until the bridge is Ready with an event containing {@code event} and {@code outcome}. */
    private static double secondsToReady(Step change, String event, String outcome) throws Exception {
        long start = System.nanoTime();
        change.run();
        JsonNode ready = await(
                s -> "READY".equals(s.path("state").asText())
                        && latestEvent(s).contains(event)
                        && latestEvent(s).contains(outcome),
                "Ready with an event '" + event + "' and '" + outcome + "'");
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("Ready %.1f s after the change; event: %s%n", seconds, latestEvent(ready));
        return seconds;
    }

    private static void assertCallWorks(int phonePort) throws Exception {
        LabProcess callee = LabCalls.callee(lab, dir, "uas-answer.xml", 6000 + phonePort % 100 * 10);
        try {
            LabNetwork.Result call = LabCalls.phoneCalls(lab, dir, "phone-call.xml", phonePort);
            assertEquals(
                    0, call.exitCode(), call.output() + "\n" + daemon.process().output());
            assertEquals(0, callee.stop(Duration.ofSeconds(10)), callee.output());
        } finally {
            callee.close();
        }
    }

    private static String latestEvent(JsonNode status) {
        return status.path("events").path(0).path("message").asText();
    }

    private static void ip(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "ip";
        System.arraycopy(args, 0, command, 1, args.length);
        LabNetwork.Result result = lab.exec("bridge", command);
        assertEquals(0, result.exitCode(), String.join(" ", command) + ": " + result.output());
    }

    private static JsonNode await(Predicate<JsonNode> condition, String what) throws Exception {
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        JsonNode status = daemon.status();
        while (!condition.test(status)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within " + GENEROUS + ": " + status + "\n"
                        + daemon.process().output());
            }
            Thread.sleep(200);
            status = daemon.status();
        }
        return status;
    }
}
