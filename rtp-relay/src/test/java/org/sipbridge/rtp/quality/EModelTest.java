package org.sipbridge.rtp.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Values worked out by hand from the formulas cited in {@link EModel}. */
class EModelTest {

    @Test
    void g711WithoutImpairmentsScoresTheDefaultR() {
        // d = 0/2 + max(20, 0) = 20 ms: Id = 0.48; Ie,eff = 0: R = 92.72
        double r = EModel.rFactor(Codec.G711, 0, EModel.oneWayDelayMs(0, 0));
        assertEquals(92.72, r, 1e-9);
        // MOS = 1 + 0.035·92.72 + 92.72·32.72·7.28·7e-6 = 4.2452 + 0.154603 ≈ 4.3998
        assertEquals(4.3998, EModel.mos(r), 1e-4);
    }

    @Test
    void lossImpairsPerCodecRobustness() {
        // G.711, 1 %: Ie,eff = 95·1/(1 + 25.1) = 3.63985
        assertEquals(3.63985, EModel.effectiveEquipmentImpairment(Codec.G711, 1), 1e-5);
        // G.729, 2 %: 11 + 84·2/(2 + 19) = 11 + 8 = 19
        assertEquals(19.0, EModel.effectiveEquipmentImpairment(Codec.G729, 2), 1e-12);
    }

    @Test
    void delayImpairmentBendsAt177ms() {
        assertEquals(0.024 * 150, EModel.delayImpairment(150), 1e-12);
        // 0.024·250 + 0.11·(250 − 177.3) = 6 + 7.997 = 13.997
        assertEquals(13.997, EModel.delayImpairment(250), 1e-9);
    }

    @Test
    void oneWayDelayIsHalfTheRoundTripPlusTheJitterBuffer() {
        assertEquals(50 + 20, EModel.oneWayDelayMs(100, 5), 1e-12, "buffer floor 20 ms");
        assertEquals(50 + 60, EModel.oneWayDelayMs(100, 30), 1e-12, "buffer 2 × jitter");
        assertEquals(60, EModel.oneWayDelayMs(Double.NaN, 30), 1e-12, "unknown RTT counts 0");
    }

    @Test
    void mosIsClampedOutsideZeroToHundred() {
        assertEquals(1.0, EModel.mos(-5));
        assertEquals(4.5, EModel.mos(120));
        assertEquals(1.0, EModel.mos(1), "the polynomial gives 0.994 at R = 1 (found by PacketParsersPropertyTest)");
        // R 50: 1 + 1.75 + 50·(−10)·50·7e-6 = 2.75 − 0.175 = 2.575
        assertEquals(2.575, EModel.mos(50), 1e-12);
    }

    @Test
    void warningsFollowThePublishedThresholds() {
        CallQuality fine = CallQuality.assess(Codec.G711, 0.99, 29.9, 299);
        assertEquals(Set.of(), fine.warnings());
        CallQuality bad = CallQuality.assess(Codec.G711, 1.0, 30, 300);
        assertEquals(Set.of(QualityWarning.LOSS, QualityWarning.JITTER, QualityWarning.LATENCY), bad.warnings());
        CallQuality unknownRtt = CallQuality.assess(Codec.G729, 0, 0, Double.NaN);
        assertFalse(unknownRtt.roundTripKnown());
        assertFalse(unknownRtt.warnings().contains(QualityWarning.LATENCY));
        assertTrue(bad.mos() < fine.mos());
        assertEquals("G.729", unknownRtt.codec());
    }

    @Test
    void codecsAreRecognisedByEncodingName() {
        assertEquals(Codec.G711, Codec.ofEncoding("pcmu"));
        assertEquals(Codec.G711, Codec.ofEncoding("PCMA"));
        assertEquals(Codec.G722, Codec.ofEncoding("G722"));
        assertEquals(Codec.G729, Codec.ofEncoding("G729"));
        assertEquals(Codec.OPUS, Codec.ofEncoding("opus"));
        assertEquals(Codec.OTHER, Codec.ofEncoding("iLBC"));
    }
}
