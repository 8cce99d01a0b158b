package org.sipbridge.daemon.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.daemon.check.CheckResult.Status;

class CheckLogicTest {

    @Test
    void theRouteDeviceComesFromIpRouteGet() {
        assertEquals(Optional.of("tun0"), RouteCheck.device("198.19.2.10 dev tun0 src 198.19.2.1 uid 0 \\    cache "));
        assertEquals(
                Optional.of("eth0"),
                RouteCheck.device("198.19.2.10 via 192.168.1.1 dev eth0 src 192.168.1.20 uid 1000 \\    cache "));
        assertEquals(Optional.empty(), RouteCheck.device("RTNETLINK answers: Network is unreachable"));
        assertEquals(
                Status.PASS,
                RouteCheck.decide("r", "t", "198.19.2.10", Optional.of("tun0"), "tun0")
                        .status());
        CheckResult wrong = RouteCheck.decide("r", "t", "198.19.2.10", Optional.of("eth0"), "tun0");
        assertEquals(Status.FAIL, wrong.status());
        assertEquals("198.19.2.10 is reached through eth0, not the VPN (tun0)", wrong.detail());
    }

    @Test
    void aTakenPortIsFineOnlyWhenSipbridgeHoldsIt() {
        PortCheck.Need sip = new PortCheck.Need("UDP", "198.18.1.1", 8060, "protocols.udp.port");
        assertEquals(
                Status.PASS,
                PortCheck.decide(sip, PortCheck.Outcome.FREE, false).status());
        assertEquals(
                Status.PASS,
                PortCheck.decide(sip, PortCheck.Outcome.IN_USE, true).status());
        CheckResult taken = PortCheck.decide(sip, PortCheck.Outcome.IN_USE, false);
        assertEquals(Status.FAIL, taken.status());
        assertTrue(taken.fix().contains("protocols.udp.port"), taken.fix());
        assertEquals(
                Status.FAIL,
                PortCheck.decide(
                                new PortCheck.Need("UDP", "0.0.0.0", 67, "dhcp"), PortCheck.Outcome.NOT_PERMITTED, true)
                        .status());
    }

    @Test
    void theDefaultConfigNeedsSipOnBothSidesProvisioningAndTheWebPort() {
        List<PortCheck.Need> needs = PortCheck.needs(BridgeConfig.defaults(), "198.18.1.1", "198.19.2.1");
        assertTrue(
                needs.contains(new PortCheck.Need("UDP", "198.19.2.1", 8060, "protocols.udp.port")), needs.toString());
        assertTrue(
                needs.contains(new PortCheck.Need("TCP", "198.18.1.1", 8061, "protocols.tls.port")), needs.toString());
        assertTrue(needs.contains(new PortCheck.Need("TCP", "127.0.0.1", 8080, "web.port")), needs.toString());
        assertTrue(needs.stream().noneMatch(n -> n.key().equals("diagnostics.syslogPort")), "syslog is off by default");
    }

    @Test
    void probesAreJudgedAgainstTheVendorGuidelines() {
        assertEquals(
                Status.PASS,
                new ProbeStats(
                                10,
                                List.of(
                                        20_000L, 22_000L, 21_000L, 20_000L, 20_000L, 21_000L, 20_000L, 22_000L, 20_000L,
                                        21_000L))
                        .judge("s", "t")
                        .status());
        assertEquals(Status.FAIL, new ProbeStats(10, List.of()).judge("s", "t").status());
        ProbeStats oneLost = new ProbeStats(
                10, List.of(20_000L, 20_000L, 20_000L, 20_000L, 20_000L, 20_000L, 20_000L, 20_000L, 20_000L));
        assertEquals(10.0, oneLost.lossPercent(), 1e-9);
        assertEquals(Status.WARN, oneLost.judge("s", "t").status());
        ProbeStats slow = new ProbeStats(2, List.of(310_000L, 310_000L));
        assertEquals(Status.WARN, slow.judge("s", "t").status(), "RTT/2 of 155 ms is over 150 ms one way");
        ProbeStats jittery = new ProbeStats(3, List.of(10_000L, 50_000L, 10_000L));
        assertEquals(40.0, jittery.jitterMs(), 1e-9);
        assertEquals(Status.WARN, jittery.judge("s", "t").status());
    }

    @Test
    void theClockMustNotBeBeforeTheBuildNorFarFromTheServer() {
        Instant built = Instant.parse("2026-11-22T09:41:00Z");
        assertEquals(
                Status.FAIL,
                ClockCheck.decide(Instant.parse("2020-01-01T00:00:00Z"), Optional.of(built), Optional.empty())
                        .status());
        Instant now = Instant.parse("2026-11-22T12:00:00Z");
        assertEquals(
                Status.PASS,
                ClockCheck.decide(now, Optional.of(built), Optional.empty()).status());
        assertEquals(
                Status.WARN,
                ClockCheck.decide(now, Optional.of(built), ClockCheck.httpDate("Sun, 22 Nov 2026 11:55:00 GMT"))
                        .status());
        assertEquals(
                Status.PASS,
                ClockCheck.decide(now, Optional.of(built), ClockCheck.httpDate("Sun, 22 Nov 2026 11:59:30 GMT"))
                        .status());
    }

    @Test
    void theReportPassesWithWarningsButNotWithAFailure() {
        CheckResult warn = CheckResult.warn("a", "A", "slow", "fix");
        assertTrue(CheckReport.of("now", List.of(warn, CheckResult.pass("b", "B", "ok")))
                .passed());
        assertEquals(
                false,
                CheckReport.of("now", List.of(warn, CheckResult.fail("c", "C", "bad", "fix")))
                        .passed());
    }
}
