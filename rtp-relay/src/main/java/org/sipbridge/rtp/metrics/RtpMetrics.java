package org.sipbridge.rtp.metrics;

import static org.sipbridge.contract.metrics.Metric.Sample.labelled;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.sipbridge.contract.metrics.Metric;
import org.sipbridge.contract.metrics.MetricSource;
import org.sipbridge.rtp.RelayCounters;
import org.sipbridge.rtp.RtpRelayService;
import org.sipbridge.rtp.SessionSnapshot;
import org.sipbridge.rtp.capture.DiagnosticCaptures;
import org.sipbridge.rtp.quality.DirectionSnapshot;
import org.sipbridge.rtp.relay.StreamSnapshot;

/**
 * The media families of {@code /metrics}: the relay's session counters (while it runs), capture records
 * dropped, RTP totals that never go down and quality histograms of ended calls (both outlive restarts of
 * the relay: keep one instance for the daemon's life), and the worst jitter and loss among calls in progress.
 * Scrapes may overlap: {@link MediaTotals} and {@link CallQualityHistograms} are synchronized.
 */
public final class RtpMetrics implements MetricSource {

    /** What the families are read from, on each scrape. */
    public record Sources(
            Supplier<Optional<RelayCounters>> counters,
            Supplier<List<SessionSnapshot>> active,
            Supplier<List<SessionSnapshot>> all,
            LongSupplier captureRecordsDropped) {}

    private final Sources sources;
    private final MediaTotals totals = new MediaTotals();
    private final CallQualityHistograms callQuality = new CallQualityHistograms();

    public RtpMetrics(Sources sources) {
        this.sources = sources;
    }

    /** The running relay's figures (none of its own while it is stopped or being restarted). */
    public static RtpMetrics of(Supplier<Optional<RtpRelayService>> relay, DiagnosticCaptures captures) {
        return new RtpMetrics(new Sources(
                () -> relay.get().map(RtpRelayService::counters),
                () -> relay.get().map(RtpRelayService::sessions).orElse(List.of()),
                () -> relay.get().map(RtpRelayService::allSessions).orElse(List.of()),
                captures::dropped));
    }

    @Override
    public List<Metric> metrics() {
        List<Metric> all = new ArrayList<>();
        sources.counters().get().ifPresent(counters -> {
            all.add(Metric.counter(
                    "sipbridge_media_sessions_total", "Media sessions allocated for calls", counters.allocated()));
            all.add(Metric.counter(
                    "sipbridge_media_sessions_timed_out_total",
                    "Media sessions released for inactivity",
                    counters.timedOut()));
            all.add(Metric.counter(
                    "sipbridge_media_allocation_failures_total",
                    "Calls refused media (no free ports, adapter unusable)",
                    counters.allocationFailures()));
            all.add(Metric.gauge(
                    "sipbridge_media_free_port_pairs",
                    "RTP/RTCP port pairs free in media.rtpPortRange",
                    counters.freePortPairs()));
        });
        all.add(Metric.counter(
                "sipbridge_capture_records_dropped_total",
                "Diagnostic capture records dropped (writer behind or disk failing); the voice itself is never held up",
                sources.captureRecordsDropped().getAsLong()));
        List<SessionSnapshot> sessions = sources.all().get();
        all.addAll(callQuality.update(sessions));
        MediaTotals.Counts counts = totals.update(sessions);
        all.add(byDirection(
                "sipbridge_rtp_packets_total",
                Metric.Type.COUNTER,
                "RTP packets relayed, by direction",
                counts.lanToVpnPackets(),
                counts.vpnToLanPackets()));
        all.add(byDirection(
                "sipbridge_rtp_bytes_total",
                Metric.Type.COUNTER,
                "RTP bytes relayed, by direction",
                counts.lanToVpnBytes(),
                counts.vpnToLanBytes()));
        all.add(byDirection(
                "sipbridge_rtp_packets_lost_total",
                Metric.Type.COUNTER,
                "RTP packets that never arrived (sequence gaps), by direction",
                counts.lanToVpnLost(),
                counts.vpnToLanLost()));
        all.add(Metric.counter(
                "sipbridge_rtp_stray_packets_dropped_total",
                "Media packets from addresses a call did not announce (dropped: no hijacking)",
                counts.strayDropped()));
        worstOfCallsInProgress(all);
        return all;
    }

    private void worstOfCallsInProgress(List<Metric> all) {
        double worstJitterOut = 0;
        double worstJitterIn = 0;
        double worstLossOut = 0;
        double worstLossIn = 0;
        for (SessionSnapshot session : sources.active().get()) {
            for (StreamSnapshot stream : session.streams()) {
                worstJitterOut = Math.max(worstJitterOut, stream.lanToVpn().jitterMs() / 1000.0);
                worstJitterIn = Math.max(worstJitterIn, stream.vpnToLan().jitterMs() / 1000.0);
                worstLossOut = Math.max(worstLossOut, ratio(stream.lanToVpn()));
                worstLossIn = Math.max(worstLossIn, ratio(stream.vpnToLan()));
            }
        }
        all.add(byDirection(
                "sipbridge_rtp_jitter_seconds",
                Metric.Type.GAUGE,
                "Highest RFC 3550 interarrival jitter among calls in progress, by direction",
                worstJitterOut,
                worstJitterIn));
        all.add(byDirection(
                "sipbridge_rtp_loss_ratio",
                Metric.Type.GAUGE,
                "Highest packet loss ratio among calls in progress, by direction",
                worstLossOut,
                worstLossIn));
    }

    private static Metric byDirection(
            String name, Metric.Type type, String help, double phoneToPbx, double pbxToPhone) {
        return new Metric(
                name,
                type,
                help,
                List.of(
                        labelled("direction", "phone_to_pbx", phoneToPbx),
                        labelled("direction", "pbx_to_phone", pbxToPhone)));
    }

    private static double ratio(DirectionSnapshot direction) {
        return direction.lossPercent() / 100.0;
    }
}
