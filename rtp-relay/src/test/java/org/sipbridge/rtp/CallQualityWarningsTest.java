package org.sipbridge.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.rtp.quality.CallQuality;
import org.sipbridge.rtp.quality.Codec;
import org.sipbridge.rtp.quality.DirectionSnapshot;
import org.sipbridge.rtp.relay.StreamSnapshot;

class CallQualityWarningsTest {

    private final List<SessionSnapshot> active = new ArrayList<>();
    private final CallQualityWarnings warnings = new CallQualityWarnings(() -> active);

    /** A direction with the E-model's verdict on {@code lossPercent} and {@code jitterMs} (RTT unknown). */
    private static DirectionSnapshot direction(double lossPercent, double jitterMs) {
        return new DirectionSnapshot(
                500,
                500 * 172,
                510,
                10,
                lossPercent,
                0,
                0,
                jitterMs,
                0,
                0,
                0,
                0,
                null,
                CallQuality.assess(Codec.G711, lossPercent, jitterMs, Double.NaN));
    }

    private static SessionSnapshot call(DirectionSnapshot fromPhone, DirectionSnapshot fromPbx) {
        return new SessionSnapshot(
                "m1",
                "c1",
                Instant.EPOCH,
                null,
                null,
                List.of(new StreamSnapshot(0, "audio", null, null, fromPhone, fromPbx, null, 0, null)));
    }

    @Test
    void aCallWithinTheGuidelinesIsNoWarning() {
        active.add(call(direction(0.2, 4), direction(0.9, 29.9)));
        assertEquals(List.of(), warnings.reasons());
    }

    @Test
    void eachDirectionBeyondAGuidelineIsAWarningWithItsFigures() {
        active.add(call(direction(0, 3), direction(2.1, 31.5)));
        List<Reason> reasons = warnings.reasons();
        assertEquals(1, reasons.size(), reasons.toString());
        assertEquals(
                "A call in progress has packet loss of 1 % or more, jitter of 30 ms or more in the audio from the PBX "
                        + "(loss 2.1 %, jitter 31.5 ms, one-way delay ",
                reasons.get(0).message().replaceFirst("\\d+ ms\\)$", ""));
        assertEquals("media", reasons.get(0).source());
    }

    @Test
    void theWarningGoesWithTheCall() {
        active.add(call(direction(5, 3), direction(0, 3)));
        assertEquals(1, warnings.reasons().size());
        active.clear();
        assertEquals(List.of(), warnings.reasons());
    }
}
