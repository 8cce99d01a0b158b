package org.sipbridge.rtp.quality;

/**
 * RTP sequence-number bookkeeping for one source: RFC 3550 Appendix A.1 (validation with probation,
 * wrap-around cycles, resynchronisation after a large jump) and A.3 (expected and lost packets), plus
 * a 64-packet window that tells duplicates from late (reordered) packets. Received excludes duplicates,
 * so a duplicate never hides a loss. Owned by one event loop thread; not thread-safe.
 */
public final class SequenceTracker {

    static final int MAX_DROPOUT = 3000;
    static final int MAX_MISORDER = 100;
    static final int MIN_SEQUENTIAL = 2;
    static final int SEQ_MOD = 1 << 16;

    /** What {@link #update} made of a packet. */
    public enum Outcome {
        IN_ORDER,
        LATE,
        DUPLICATE,
        NOT_COUNTED
    }

    private boolean started;
    private int probation;
    private int maxSeq;
    private long cycles;
    private int baseSeq;
    private int badSeq;
    private long received;
    private long window;
    private long late;
    private long duplicates;
    /** Totals of earlier sequence spaces (before a resync or an SSRC change). */
    private long priorExpected;

    private long priorReceived;

    public Outcome update(int seq) {
        if (!started) {
            started = true;
            initSeq(seq);
            maxSeq = (seq - 1) & 0xFFFF;
            probation = MIN_SEQUENTIAL;
        }
        int udelta = (seq - maxSeq) & 0xFFFF;
        if (probation > 0) {
            if (seq == ((maxSeq + 1) & 0xFFFF)) {
                probation--;
                maxSeq = seq;
                if (probation == 0) {
                    initSeq(seq);
                    received++;
                    window = 1;
                    return Outcome.IN_ORDER;
                }
            } else {
                probation = MIN_SEQUENTIAL - 1;
                maxSeq = seq;
            }
            return Outcome.NOT_COUNTED;
        }
        if (udelta < MAX_DROPOUT) {
            if (udelta == 0) {
                duplicates++;
                return Outcome.DUPLICATE;
            }
            if (seq < maxSeq) {
                cycles += SEQ_MOD;
            }
            window = udelta >= 64 ? 1 : (window << udelta) | 1;
            maxSeq = seq;
            received++;
            return Outcome.IN_ORDER;
        }
        if (udelta <= SEQ_MOD - MAX_MISORDER) {
            if (seq != badSeq) {
                badSeq = (seq + 1) & 0xFFFF;
                return Outcome.NOT_COUNTED;
            }
            // two sequential packets after a big jump: the sender restarted its sequence without telling us
            foldIntoPrior();
            initSeq(seq);
            received++;
            window = 1;
            return Outcome.IN_ORDER;
        }
        int behind = (maxSeq - seq) & 0xFFFF;
        if (behind > cycles + maxSeq - baseSeq) {
            // From before the base (it lost the race with the packets that validated the source, as in a
            // burst through a jittery VPN): outside what expected() counts, so counting it would hide a loss.
            return Outcome.NOT_COUNTED;
        }
        if (behind < 64) {
            long bit = 1L << behind;
            if ((window & bit) != 0) {
                duplicates++;
                return Outcome.DUPLICATE;
            }
            window |= bit;
        }
        late++;
        received++;
        return Outcome.LATE;
    }

    /** A new SSRC: keep the totals, start validating the new sequence space from scratch. */
    public void restart() {
        if (started && probation == 0) {
            foldIntoPrior();
        }
        started = false;
    }

    private void initSeq(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = SEQ_MOD + 1;
        cycles = 0;
        received = 0;
    }

    private void foldIntoPrior() {
        priorExpected += currentExpected();
        priorReceived += received;
        received = 0;
        cycles = 0;
        baseSeq = maxSeq;
    }

    private long currentExpected() {
        if (!started || probation > 0) {
            return 0;
        }
        return cycles + maxSeq - baseSeq + 1;
    }

    /** RFC 3550 A.3: extended highest sequence number received − base + 1, summed over sequence spaces. */
    public long expected() {
        return priorExpected + currentExpected();
    }

    /** Packets counted by the A.1 validation (not those seen during probation), duplicates excluded. */
    public long received() {
        return priorReceived + received;
    }

    /** Expected minus received, never below zero (only duplicates beyond the 64-packet window can tip it). */
    public long lost() {
        return Math.max(0, expected() - received());
    }

    public long late() {
        return late;
    }

    public long duplicates() {
        return duplicates;
    }
}
