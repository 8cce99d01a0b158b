package org.sipbridge.rtp.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RFC 3550 A.8 by hand: J(i) = J(i-1) + (|D| − J(i-1)) / 16, in timestamp units. */
class JitterEstimatorTest {

    @Test
    void perfectlyPacedPacketsHaveNoJitter() {
        JitterEstimator j = new JitterEstimator();
        for (int i = 0; i < 50; i++) {
            j.update(1000 + 160L * i, 5000 + 160 * i);
        }
        assertEquals(0.0, j.jitter());
    }

    @Test
    void followsTheRecursion() {
        JitterEstimator j = new JitterEstimator();
        j.update(0, 0); // transit 0
        j.update(200, 160); // transit 40, D = 40: J = 40/16 = 2.5
        assertEquals(2.5, j.jitter(), 1e-12);
        j.update(320, 320); // transit 0, D = 40: J = 2.5 + (40 − 2.5)/16 = 4.84375
        assertEquals(4.84375, j.jitter(), 1e-12);
        j.update(480, 480); // transit 0, D = 0: J = 4.84375 − 4.84375/16 = 4.541015625
        assertEquals(4.541015625, j.jitter(), 1e-12);
    }

    @Test
    void crossingTwoToTheThirtyOneIsSeamlessAndAJumpIsMeasured() {
        JitterEstimator j = new JitterEstimator();
        long arrival = 7;
        int ts = Integer.MAX_VALUE - 200; // Java int overflows to negative here; RTP just counts on
        for (int i = 0; i < 5; i++) {
            j.update(arrival, ts);
            ts += 160;
            arrival += 160;
        }
        assertEquals(0.0, j.jitter());
        j.update(arrival + 32, ts); // 32 units late: J = 32/16 = 2
        assertEquals(2.0, j.jitter(), 1e-12);
    }

    @Test
    void unsignedTimestampWrapIsSeamless() {
        JitterEstimator j = new JitterEstimator();
        long arrival = 0;
        int ts = -320; // 0xFFFFFEC0: wraps to 0 after two packets
        for (int i = 0; i < 6; i++) {
            j.update(arrival, ts);
            arrival += 160;
            ts += 160;
        }
        assertEquals(0.0, j.jitter());
    }

    @Test
    void resetForgetsTheBaseline() {
        JitterEstimator j = new JitterEstimator();
        j.update(0, 0);
        j.update(200, 160);
        j.reset();
        j.update(1_000_000, 3); // a new source: no D against the old one
        assertEquals(0.0, j.jitter());
    }
}
