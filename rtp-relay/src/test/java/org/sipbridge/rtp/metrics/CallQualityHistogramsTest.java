package org.sipbridge.rtp.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sipbridge.contract.metrics.Metric;
import org.sipbridge.rtp.EndReason;
import org.sipbridge.rtp.SessionSnapshot;
import org.sipbridge.rtp.quality.CallQuality;
import org.sipbridge.rtp.quality.DirectionSnapshot;
import org.sipbridge.rtp.relay.StreamSnapshot;

class CallQualityHistogramsTest {

    private static DirectionSnapshot direction(long packets, double lossPercent, double jitterMs, double mos) {
        return new DirectionSnapshot(
                packets,
                packets * 172,
                packets,
                0,
                lossPercent,
                0,
                0,
                jitterMs,
                0,
                0,
                0,
                0,
                null,
                new CallQuality("PCMU", false, 40, 90, mos, Set.of()));
    }

    private static SessionSnapshot session(String callId, Instant ended, DirectionSnapshot out, DirectionSnapshot in) {
        return new SessionSnapshot(
                "m-" + callId,
                callId,
                Instant.EPOCH,
                ended,
                ended == null ? null : EndReason.RELEASED,
                List.of(new StreamSnapshot(0, "audio", null, null, out, in, null, 0, null)));
    }

    /** The sample lines as the exposition writes them (web-admin's writer is tested there). */
    private static String text(List<Metric> metrics) {
        StringBuilder out = new StringBuilder();
        for (Metric metric : metrics) {
            for (Metric.Sample sample : metric.samples()) {
                out.append(metric.name()).append(sample.suffix());
                if (!sample.labels().isEmpty()) {
                    out.append(sample.labels().entrySet().stream()
                            .map(l -> l.getKey() + "=\"" + l.getValue() + "\"")
                            .collect(java.util.stream.Collectors.joining(",", "{", "}")));
                }
                out.append(' ').append(Metric.number(sample.value())).append('\n');
            }
        }
        return out.toString();
    }

    @Test
    void eachEndedCallIsObservedOnceAndCallsInProgressNotAtAll() {
        CallQualityHistograms histograms = new CallQualityHistograms();
        SessionSnapshot good =
                session("good", Instant.ofEpochSecond(60), direction(3000, 0, 2, 4.41), direction(3000, 0, 3, 4.40));
        SessionSnapshot bad =
                session("bad", Instant.ofEpochSecond(90), direction(3000, 3, 40, 3.2), direction(3000, 1.5, 35, 3.5));
        SessionSnapshot live = session("live", null, direction(10, 50, 200, 1.0), direction(10, 50, 200, 1.0));

        histograms.update(List.of(good, live));
        String text = text(histograms.update(List.of(good, bad, live)));

        assertContains(text, "sipbridge_call_mos_bucket{direction=\"phone_to_pbx\",le=\"3.6\"} 1");
        assertContains(text, "sipbridge_call_mos_bucket{direction=\"phone_to_pbx\",le=\"+Inf\"} 2");
        assertContains(text, "sipbridge_call_mos_count{direction=\"pbx_to_phone\"} 2");
        assertContains(text, "sipbridge_call_loss_ratio_bucket{direction=\"phone_to_pbx\",le=\"0.01\"} 1");
        assertContains(text, "sipbridge_call_loss_ratio_bucket{direction=\"pbx_to_phone\",le=\"0.02\"} 2");
        assertContains(text, "sipbridge_call_jitter_seconds_bucket{direction=\"phone_to_pbx\",le=\"0.03\"} 1");
        assertContains(text, "sipbridge_call_jitter_seconds_bucket{direction=\"phone_to_pbx\",le=\"0.05\"} 2");
    }

    @Test
    void countsStayWhenTheRelayForgetsACallAndAnEmptyDirectionIsNotObserved() {
        CallQualityHistograms histograms = new CallQualityHistograms();
        SessionSnapshot oneWay =
                session("oneway", Instant.ofEpochSecond(60), direction(3000, 0, 2, 4.41), direction(0, 0, 0, 4.40));
        histograms.update(List.of(oneWay));
        String text = text(histograms.update(List.of()));
        assertContains(text, "sipbridge_call_mos_count{direction=\"phone_to_pbx\"} 1");
        assertContains(text, "sipbridge_call_mos_count{direction=\"pbx_to_phone\"} 0");
    }

    private static void assertContains(String text, String line) {
        assertEquals(true, text.lines().anyMatch(line::equals), "no line «" + line + "» in:\n" + text);
    }
}
