package org.sipbridge.rtp.quality;

import java.util.EnumSet;
import java.util.Set;

/**
 * The E-model verdict for one direction of one stream.
 *
 * @param codec            the codec of the last audio packet ({@link Codec#label()})
 * @param roundTripKnown   whether RTCP measured the round trip; without it the delay is the jitter buffer only
 * @param oneWayDelayMs    RTT/2 + jitter buffer estimate
 */
public record CallQuality(
        String codec,
        boolean roundTripKnown,
        double oneWayDelayMs,
        double rFactor,
        double mos,
        Set<QualityWarning> warnings) {

    public CallQuality {
        warnings = Set.copyOf(warnings);
    }

    /** @param roundTripMs end-to-end round trip in ms, NaN when unknown */
    public static CallQuality assess(Codec codec, double lossPercent, double jitterMs, double roundTripMs) {
        double delay = EModel.oneWayDelayMs(roundTripMs, jitterMs);
        double r = EModel.rFactor(codec, lossPercent, delay);
        Set<QualityWarning> warnings = EnumSet.noneOf(QualityWarning.class);
        if (lossPercent >= QualityWarning.LOSS_PERCENT) {
            warnings.add(QualityWarning.LOSS);
        }
        if (jitterMs >= QualityWarning.JITTER_MS) {
            warnings.add(QualityWarning.JITTER);
        }
        if (!Double.isNaN(roundTripMs) && roundTripMs / 2 >= QualityWarning.ONE_WAY_MS) {
            warnings.add(QualityWarning.LATENCY);
        }
        return new CallQuality(codec.label(), !Double.isNaN(roundTripMs), delay, r, EModel.mos(r), warnings);
    }
}
