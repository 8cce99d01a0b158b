package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
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

    @Test
    void thePhoneRegistersAndCallsDuringTheAttack() {
        assertEquals(0, report.during().registerFailed(), report.markdown());
        assertEquals(0, report.during().callFailed(), report.markdown());
        assertTrue(report.during().registered() > 0, report.markdown());
    }

    @Test
    void noThreadDiesOfAnUncaughtException() {
        assertEquals(0, report.threadDeaths(), report.markdown());
    }

    @Test
    void malformedInputIsNotLoggedAtErrorLevel() {
        assertEquals(List.of(), report.errorLines().stream().limit(20).toList(), report.markdown());
    }
}
