package org.sipbridge.rtp.quality;

/**
 * A simplified ITU-T G.107 E-model: R = R0 − Is − Id − Ie,eff + A with the G.107 default values, which
 * give R0 − Is = 93.2 and A = 0.
 * <ul>
 * <li>Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl / BurstR + Bpl) (G.107 §7.5), random loss (BurstR = 1), Ie and
 *     Bpl per {@link Codec}.</li>
 * <li>Id from the one-way mouth-to-ear delay d in ms with the default echo and loudness values, in the
 *     closed form of Cole and Rosenbluth ("Voice over IP performance monitoring", ACM SIGCOMM CCR 31(2),
 *     2001): Id = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3).</li>
 * <li>d = RTT/2 + jitter buffer, the buffer estimated as twice the RFC 3550 jitter and at least
 *     {@value #MIN_JITTER_BUFFER_MS} ms (one packet time).</li>
 * <li>MOS from R per G.107 Annex B: 1 below R 0, 4.5 above R 100, else
 *     1 + 0.035·R + R·(R − 60)·(100 − R)·7·10⁻⁶.</li>
 * </ul>
 */
public final class EModel {

    static final double DEFAULT_R = 93.2;
    static final double BURST_RATIO = 1.0;
    static final double MIN_JITTER_BUFFER_MS = 20;

    private EModel() {}

    public static double effectiveEquipmentImpairment(Codec codec, double lossPercent) {
        double ie = codec.equipmentImpairment();
        double ppl = Math.max(0, lossPercent);
        return ie + (95 - ie) * ppl / (ppl / BURST_RATIO + codec.lossRobustness());
    }

    public static double delayImpairment(double oneWayDelayMs) {
        double d = Math.max(0, oneWayDelayMs);
        return 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
    }

    public static double jitterBufferMs(double jitterMs) {
        return Math.max(MIN_JITTER_BUFFER_MS, 2 * jitterMs);
    }

    /** @param roundTripMs end-to-end round trip, or NaN when RTCP has not measured it (then only the buffer counts) */
    public static double oneWayDelayMs(double roundTripMs, double jitterMs) {
        double network = Double.isNaN(roundTripMs) ? 0 : roundTripMs / 2;
        return network + jitterBufferMs(jitterMs);
    }

    public static double rFactor(Codec codec, double lossPercent, double oneWayDelayMs) {
        return DEFAULT_R - delayImpairment(oneWayDelayMs) - effectiveEquipmentImpairment(codec, lossPercent);
    }

    public static double mos(double r) {
        if (r < 0) {
            return 1;
        }
        if (r > 100) {
            return 4.5;
        }
        // G.107's polynomial dips just below 1 for 0 < R < 6.5 (e.g. 0.994 at R = 1); MOS never goes below 1.
        return Math.max(1, 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6);
    }
}
