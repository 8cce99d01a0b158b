package org.sipbridge.rtp.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sipbridge.rtp.quality.SequenceTracker.Outcome.DUPLICATE;
import static org.sipbridge.rtp.quality.SequenceTracker.Outcome.IN_ORDER;
import static org.sipbridge.rtp.quality.SequenceTracker.Outcome.LATE;
import static org.sipbridge.rtp.quality.SequenceTracker.Outcome.NOT_COUNTED;

import org.junit.jupiter.api.Test;

/** Hand-computed sequences against RFC 3550 A.1/A.3. */
class SequenceTrackerTest {

    @Test
    void theFirstPacketIsOnProbationAndTheSecondBecomesTheBase() {
        SequenceTracker t = new SequenceTracker();
        assertEquals(NOT_COUNTED, t.update(100));
        assertEquals(IN_ORDER, t.update(101));
        assertEquals(1, t.expected());
        assertEquals(1, t.received());
    }

    @Test
    void gapsAreLoss() {
        SequenceTracker t = new SequenceTracker();
        for (int seq : new int[] {100, 101, 102, 105, 106}) {
            t.update(seq);
        }
        // base 101, max 106: expected 6, received 101,102,105,106 = 4, lost 2 (103, 104)
        assertEquals(6, t.expected());
        assertEquals(4, t.received());
        assertEquals(2, t.lost());
    }

    @Test
    void aLatePacketFillsItsGapAndIsCountedAsLate() {
        SequenceTracker t = new SequenceTracker();
        for (int seq : new int[] {100, 101, 102, 104}) {
            t.update(seq);
        }
        assertEquals(LATE, t.update(103));
        assertEquals(4, t.expected());
        assertEquals(4, t.received());
        assertEquals(0, t.lost());
        assertEquals(1, t.late());
    }

    @Test
    void aLatePacketFromBeforeTheBaseIsNotCountedSoItCannotHideALoss() {
        // A burst through a jittery VPN: 101 and 102 validate the source while 100 is still on its way.
        SequenceTracker t = new SequenceTracker();
        assertEquals(NOT_COUNTED, t.update(101));
        assertEquals(IN_ORDER, t.update(102));
        assertEquals(NOT_COUNTED, t.update(100));
        t.update(103);
        t.update(105);
        // base 102, max 105: expected 4, received 102, 103, 105 = 3, lost 1 (104)
        assertEquals(4, t.expected());
        assertEquals(3, t.received());
        assertEquals(1, t.lost());
        assertEquals(0, t.late());
    }

    @Test
    void duplicatesNeitherCountAsReceivedNorHideLoss() {
        SequenceTracker t = new SequenceTracker();
        for (int seq : new int[] {100, 101, 102, 104}) {
            t.update(seq);
        }
        assertEquals(DUPLICATE, t.update(104), "same as the highest");
        assertEquals(DUPLICATE, t.update(102), "an older one already seen");
        // base 101, max 104: expected 4, received 101,102,104 = 3: 103 is still lost
        assertEquals(1, t.lost());
        assertEquals(2, t.duplicates());
        assertEquals(0, t.late());
    }

    @Test
    void wrapAroundAddsACycle() {
        SequenceTracker t = new SequenceTracker();
        for (int seq : new int[] {65533, 65534, 65535, 0, 2}) {
            t.update(seq);
        }
        // base 65534, extended max 65536 + 2 = 65538: expected 5, received 65534, 65535, 0, 2 = 4, lost 1 (seq 1)
        assertEquals(5, t.expected());
        assertEquals(4, t.received());
        assertEquals(1, t.lost());
    }

    @Test
    void aLargeJumpIsIgnoredOnceThenResynchronises() {
        SequenceTracker t = new SequenceTracker();
        t.update(10);
        t.update(11);
        t.update(12); // expected 2 (11, 12), received 2
        assertEquals(NOT_COUNTED, t.update(40000), "one stray far jump is ignored");
        assertEquals(IN_ORDER, t.update(40001), "two in a row: the sender restarted");
        t.update(40003);
        // before: expected 2, received 2; after resync base 40001, max 40003: expected 3, received 2
        assertEquals(5, t.expected());
        assertEquals(4, t.received());
        assertEquals(1, t.lost());
    }

    @Test
    void aNewSourceStartsOnProbationButKeepsTheTotals() {
        SequenceTracker t = new SequenceTracker();
        t.update(1);
        t.update(2);
        t.update(4); // expected 3, received 2
        t.restart();
        assertEquals(NOT_COUNTED, t.update(5000));
        assertEquals(IN_ORDER, t.update(5001));
        assertEquals(4, t.expected());
        assertEquals(3, t.received());
        assertEquals(1, t.lost());
    }

    @Test
    void probationRestartsWhenTheFirstTwoAreNotConsecutive() {
        SequenceTracker t = new SequenceTracker();
        assertEquals(NOT_COUNTED, t.update(10));
        assertEquals(NOT_COUNTED, t.update(20));
        assertEquals(IN_ORDER, t.update(21));
        assertEquals(1, t.expected());
    }
}
