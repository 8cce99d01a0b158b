package org.sipbridge.rtp.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sipbridge.contract.metrics.Metric;
import org.sipbridge.contract.metrics.Metric.HistogramSeries;
import org.sipbridge.rtp.SessionSnapshot;
import org.sipbridge.rtp.quality.DirectionSnapshot;
import org.sipbridge.rtp.relay.StreamSnapshot;

/**
 * Per-call quality for Prometheus without a label per call: every ended call's audio quality
 * (MOS, loss ratio, jitter), per direction, goes once into fixed-bucket histograms, so the series
 * count is bounded whatever the number of calls, and alerts can ask "did any call in the last
 * 10 minutes have a MOS at or below 3.6". A direction that carried no packets is not observed (it
 * has no quality to report). The MOS buckets are the G.107 user-satisfaction thresholds and the
 * top of the scale (a clean G.711 call scores 4.41).
 */
final class CallQualityHistograms {

    static final List<Double> MOS_BOUNDS = List.of(2.58, 3.1, 3.6, 4.03, 4.34, 4.5);
    static final List<Double> LOSS_BOUNDS = List.of(0.0, 0.005, 0.01, 0.02, 0.05, 0.1);
    static final List<Double> JITTER_BOUNDS = List.of(0.005, 0.01, 0.02, 0.03, 0.05, 0.1);

    private enum Direction {
        PHONE_TO_PBX("phone_to_pbx"),
        PBX_TO_PHONE("pbx_to_phone");

        final String label;

        Direction(String label) {
            this.label = label;
        }
    }

    private final Histogram[] mos = {new Histogram(MOS_BOUNDS), new Histogram(MOS_BOUNDS)};
    private final Histogram[] loss = {new Histogram(LOSS_BOUNDS), new Histogram(LOSS_BOUNDS)};
    private final Histogram[] jitter = {new Histogram(JITTER_BOUNDS), new Histogram(JITTER_BOUNDS)};
    /** Ended sessions already observed that the relay still lists (forgotten ones drop out). */
    private Set<String> observed = new HashSet<>();

    /** Observes every ended session of {@code sessions} not observed before, then returns the three families. */
    synchronized List<Metric> update(List<SessionSnapshot> sessions) {
        Set<String> stillListed = new HashSet<>();
        for (SessionSnapshot session : sessions) {
            if (session.ended() == null) {
                continue;
            }
            String key = session.id();
            stillListed.add(key);
            if (!observed.contains(key)) {
                session.audio().ifPresent(this::observe);
            }
        }
        observed = stillListed;
        return List.of(
                Metric.histogram(
                        "sipbridge_call_mos", "MOS (E-model) of ended calls' audio, by direction", series(mos)),
                Metric.histogram(
                        "sipbridge_call_loss_ratio",
                        "Packet loss ratio of ended calls' audio, by direction",
                        series(loss)),
                Metric.histogram(
                        "sipbridge_call_jitter_seconds",
                        "RFC 3550 interarrival jitter at the end of ended calls' audio, by direction",
                        series(jitter)));
    }

    private void observe(StreamSnapshot audio) {
        observe(Direction.PHONE_TO_PBX, audio.lanToVpn());
        observe(Direction.PBX_TO_PHONE, audio.vpnToLan());
    }

    private void observe(Direction direction, DirectionSnapshot figures) {
        if (figures == null || figures.packets() == 0) {
            return;
        }
        int i = direction.ordinal();
        if (figures.quality() != null) {
            mos[i].observe(figures.quality().mos());
        }
        loss[i].observe(figures.lossPercent() / 100.0);
        jitter[i].observe(figures.jitterMs() / 1000.0);
    }

    private static List<HistogramSeries> series(Histogram[] byDirection) {
        List<HistogramSeries> all = new ArrayList<>();
        for (Direction direction : Direction.values()) {
            all.add(byDirection[direction.ordinal()].series(Map.of("direction", direction.label)));
        }
        return all;
    }

    /** Cumulative counts per upper bound, a count and a sum; guarded by the enclosing instance's lock. */
    private static final class Histogram {
        private final List<Double> bounds;
        private final long[] atOrBelow;
        private long count;
        private double sum;

        Histogram(List<Double> bounds) {
            this.bounds = bounds;
            this.atOrBelow = new long[bounds.size()];
        }

        void observe(double value) {
            for (int b = 0; b < bounds.size(); b++) {
                if (value <= bounds.get(b)) {
                    atOrBelow[b]++;
                }
            }
            count++;
            sum += value;
        }

        HistogramSeries series(Map<String, String> labels) {
            List<Long> cumulative = new ArrayList<>();
            for (long n : atOrBelow) {
                cumulative.add(n);
            }
            return new HistogramSeries(labels, bounds, cumulative, count, sum);
        }
    }
}
