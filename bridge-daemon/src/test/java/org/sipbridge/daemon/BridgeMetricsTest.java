package org.sipbridge.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.status.BridgeState;
import org.sipbridge.contract.status.BridgeStatus;
import org.sipbridge.contract.status.CallStatus;
import org.sipbridge.contract.status.RegistrationStatus;
import org.sipbridge.contract.status.ServerStatus;
import org.sipbridge.daemon.syslog.SyslogReceiver;
import org.sipbridge.dhcp.DhcpMetrics;
import org.sipbridge.dhcp.DhcpStats;
import org.sipbridge.dhcp.reply.IgnoreReason;
import org.sipbridge.provisioning.ProvisioningMetrics;
import org.sipbridge.provisioning.transfer.Transfer;
import org.sipbridge.rtp.EndReason;
import org.sipbridge.rtp.RelayCounters;
import org.sipbridge.rtp.SessionSnapshot;
import org.sipbridge.rtp.metrics.RtpMetrics;
import org.sipbridge.rtp.quality.CallQuality;
import org.sipbridge.rtp.quality.DirectionSnapshot;
import org.sipbridge.rtp.relay.StreamSnapshot;
import org.sipbridge.sip.SipMetrics;
import org.sipbridge.web.PhoneList;
import org.sipbridge.web.metrics.PrometheusText;

/**
 * {@code GET /metrics} as a whole: every family, its help, labels and values for one fixed state of the
 * bridge, byte for byte as recorded in {@code metrics-golden.txt} (docs/api.md lists the families;
 * alert rules and dashboards rely on them), so moving where a family is produced cannot change it.
 */
class BridgeMetricsTest {

    private static final Instant T0 = Instant.parse("2026-12-05T04:00:00Z");

    private static DirectionSnapshot direction(long packets, long lost, double jitter, double mos) {
        return new DirectionSnapshot(
                packets,
                packets * 172,
                packets,
                lost,
                lost * 100.0 / (packets + lost),
                3,
                0,
                jitter,
                0,
                0,
                0,
                0,
                null,
                new CallQuality("G.711", true, 20, 93, mos, Set.of()));
    }

    private static SessionSnapshot session(String id, Instant ended, long packets) {
        return new SessionSnapshot(
                id,
                id + "@phone",
                T0,
                ended,
                ended == null ? null : EndReason.RELEASED,
                List.of(new StreamSnapshot(
                        0,
                        "audio",
                        null,
                        null,
                        direction(packets, 5, 12.5, 4.2),
                        direction(packets / 2, 1, 31.0, 3.6),
                        40.0,
                        0,
                        null)));
    }

    @Test
    void theExpositionIsTheRecordedOne() throws IOException {
        BridgeStatus status = new BridgeStatus(
                BridgeState.READY,
                List.of(),
                List.of(Reason.warning("rtp-relay", "Call x: one-way audio", "Check the phone")),
                "bridge-1",
                null,
                null,
                List.of(
                        new ServerStatus("198.18.2.2:5060", ServerStatus.ServerState.UP, true, T0, 12),
                        new ServerStatus("198.18.2.3:5060", ServerStatus.ServerState.DOWN, false, null, -1)),
                List.of(new RegistrationStatus("sip:1001@pbx.lab", "sip:1001@198.18.1.10", 300, "198.18.2.2:5060")),
                List.of(),
                "1.0",
                "host",
                T0);
        List<CallStatus> calls = List.of(
                new CallStatus(
                        "live@phone", "Desk", "2000", true, "ANSWERED", T0, T0, null, List.of(), "198.18.1.10", "live"),
                new CallStatus(
                        "old@phone", "Desk", "2000", true, "ENDED", T0, T0, T0, List.of(), "198.18.1.10", "old"));
        List<SessionSnapshot> active = List.of(session("live", null, 500));
        List<SessionSnapshot> all = List.of(session("live", null, 500), session("old", T0.plusSeconds(60), 3000));
        DhcpStats dhcp = new DhcpStats(7, 5, Map.of(IgnoreReason.values()[0], 2L), 1, 0, Optional.empty());
        List<Transfer> transfers = List.of(
                new Transfer(
                        "GET", "/a.cfg", 200, Transfer.Direction.DOWNLOAD, 10, 10, 100, T0, Duration.ofMillis(5), true),
                new Transfer(
                        "GET", "/b.cfg", 503, Transfer.Direction.DOWNLOAD, 0, 0, 0, T0, Duration.ofMillis(5), true),
                new Transfer(
                        "GET", "/c.ld", 200, Transfer.Direction.DOWNLOAD, 5, 50, 10, T0, Duration.ofMillis(5), false));
        SyslogReceiver syslog = new SyslogReceiver(Ipv4Subnet.parse("127.0.0.1/32"), 0, line -> {});
        PhoneList phones = new PhoneList(32, 1, 2, Optional.empty(), List.of());

        BridgeMetrics metrics = new BridgeMetrics(
                new BridgeMetrics.Sources(() -> status, () -> phones, () -> Map.of("sip_tls", T0.plusSeconds(86_400))),
                new BridgeMetrics.Modules(
                        new SipMetrics(new SipMetrics.Sources(status::servers, () -> calls, () -> 4L)),
                        new RtpMetrics(new RtpMetrics.Sources(
                                () -> Optional.of(new RelayCounters(9, 7, 1, 2, 1, 498)),
                                () -> active,
                                () -> all,
                                () -> 3L)),
                        new DhcpMetrics(() -> dhcp),
                        new ProvisioningMetrics(() -> transfers),
                        syslog));

        String exposition = PrometheusText.format(metrics.collect());
        // Beside the reports, to compare or diff when this fails.
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "metrics-actual.txt"), exposition);
        assertEquals(golden(), exposition);
    }

    private static String golden() throws IOException {
        try (InputStream in = BridgeMetricsTest.class.getResourceAsStream("/metrics-golden.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
