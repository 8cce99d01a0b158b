package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short version of the fuzz campaign ({@link FuzzCampaign}; the long one is lab/attack/fuzz.sh):
 * 5,000 mutated SIP, SDP and DHCP inputs from a LAN device and a VPN-side host against the running
 * bridge, while the phone registers and calls. The bridge must not crash, must hold no more
 * descriptors, threads, RTP ports or calls afterwards than before (a small allowance for descriptors
 * and threads the JVM opens lazily), and the phone must still register and call.
 */
class FuzzSmokeLabIT {

    private static FuzzCampaign.Report report;

    @TempDir
    static Path dir;

    @BeforeAll
    static void attack() throws Exception {
        report = FuzzCampaign.run(new FuzzCampaign.Options(5_000, 250, 14, 0.3, 8, 0, dir));
        System.out.println(report.markdown());
        report.errorLines().stream().limit(20).forEach(line -> System.out.println("ERROR line: " + line));
    }

    @Test
    void everyInputWasSentAndTheBridgeDidNotCrash() {
        assertEquals(5_000, report.inputsSent(), report.markdown());
        assertEquals(0, report.crashes(), report.markdown());
    }

    @Test
    void theBridgeHoldsNoMoreThanBefore() {
        DaemonSample leaked = report.leaked();
        assertTrue(leaked.fds() <= 5, "file descriptors leaked: " + report.markdown());
        assertTrue(leaked.threads() <= 5, "threads leaked: " + report.markdown());
        assertEquals(0, leaked.freePortPairs(), "RTP port pairs still taken: " + report.markdown());
        assertEquals(0, leaked.callsActive(), "calls still active: " + report.markdown());
    }

    @Test
    void thePhoneStillRegistersAndCallsAfterwards() {
        assertEquals(1, report.afterwards().registered(), report.markdown());
        assertEquals(1, report.afterwards().called(), report.markdown());
    }

    // TODO(issue #14, fuzz finding F4): while the fuzz runs, the phone's REGISTER and INVITE often get
    // "503 No PBX server is reachable": fuzzed requests relayed to the PBX (e.g. REGISTER with a tel: To,
    // answered 500) mark the server down, the "one bad packet takes the PBX down" finding of issue #14
    // that the SIP part is fixing. Enable when server state comes only from the server's health.
    @Disabled("fuzz finding F4: fuzzed requests mark the PBX down, the phone gets 503 during the run (see docs/security.md)")
    @Test
    void thePhoneRegistersAndCallsDuringTheAttack() {
        assertEquals(0, report.during().registerFailed(), report.markdown());
        assertEquals(0, report.during().callFailed(), report.markdown());
        assertTrue(report.during().registered() > 0, report.markdown());
    }

    // TODO(issue #14, fuzz finding F1): a SIP message over TCP whose Content-Length is above 65536 (e.g.
    // 2147483647) kills one of jain-sip's PipelineThreads with "RuntimeException: Max content size
    // Exceeded!" (an uncaught exception, printed on stderr). The daemon survives and the thread count does
    // not grow, but the connection's reader is gone. Enable when the SIP relay handles it.
    @Disabled("fuzz finding F1: Content-Length > 65536 over TCP kills a jain-sip PipelineThread (see docs/security.md)")
    @Test
    void noThreadDiesOfAnUncaughtException() {
        assertEquals(0, report.threadDeaths(), report.markdown());
    }

    // TODO(issue #14, fuzz findings F2/F3): jain-sip logs every unparsable UDP packet and every
    // malformed TCP stream at ERROR, with the packet's bytes (one ERROR line per ~6 inputs: a log flood
    // any LAN device can cause), and a DHCP option 60 with CR/LF forges a log line. The log-rate limit
    // and escaping of issue #14 are being built in parallel; enable when they are in.
    @Disabled("fuzz findings F2/F3: malformed input logged at ERROR with its bytes; forged log line via DHCP option 60")
    @Test
    void malformedInputIsNotLoggedAtErrorLevel() {
        assertEquals(List.of(), report.errorLines().stream().limit(20).toList(), report.markdown());
    }
}
