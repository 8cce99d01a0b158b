package org.sipbridge.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The watch against a fake session and a fake clock: which limit applies when, and from when it counts. */
class InactivityWatchTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final SessionLimits LIMITS = new SessionLimits(4, 60 * SECOND, 7200 * SECOND);

    private long now = 1_000 * SECOND;
    private boolean expectsMedia;
    private long activity;
    private final List<EndReason> expired = new ArrayList<>();
    private final InactivityWatch watch = new InactivityWatch(
            new InactivityWatch.Watched() {
                @Override
                public boolean expectsMedia() {
                    return expectsMedia;
                }

                @Override
                public long activity() {
                    return activity;
                }

                @Override
                public void expire(EndReason reason) {
                    expired.add(reason);
                }
            },
            LIMITS,
            () -> now);

    private void at(long seconds) {
        now = 1_000 * SECOND + seconds * SECOND;
        watch.run();
    }

    @Test
    void aSessionWithoutTwoWayMediaEndsAtTheHoldLimitCountedFromItsStart() {
        at(60);
        at(7199);
        assertEquals(List.of(), expired, "silence is normal while ringing or held");
        at(7200);
        assertEquals(List.of(EndReason.HOLD_TIMEOUT), expired);
    }

    @Test
    void packetsDuringHoldDoNotExtendIt() {
        for (long t = 0; t < 7200; t += 600) {
            activity += 30_000; // music on hold
            at(t);
        }
        at(7200);
        assertEquals(List.of(EndReason.HOLD_TIMEOUT), expired);
    }

    @Test
    void holdIsCountedFromWhenTwoWayMediaStopped() {
        expectsMedia = true;
        for (long t = 0; t <= 5000; t += 5) {
            activity++;
            at(t);
        }
        expectsMedia = false; // re-INVITE with a=inactive at t=5000
        at(5005);
        at(12_204);
        assertEquals(List.of(), expired);
        at(12_205);
        assertEquals(List.of(EndReason.HOLD_TIMEOUT), expired);
    }

    @Test
    void silenceWhileTwoWayMediaIsExpectedEndsAtTheInactivityLimit() {
        expectsMedia = true;
        activity = 10;
        at(0);
        at(59);
        assertEquals(List.of(), expired);
        at(60);
        assertEquals(List.of(EndReason.INACTIVITY), expired);
    }

    @Test
    void resumingFromHoldRestartsTheInactivityCount() {
        at(7000); // held for almost the whole hold limit
        expectsMedia = true;
        at(7100);
        at(7159);
        assertEquals(List.of(), expired, "the hold limit no longer applies once two-way media is expected");
        at(7160);
        assertEquals(List.of(EndReason.INACTIVITY), expired);
    }

    @Test
    void theWatchLooksOftenEnoughForTheShorterLimit() {
        assertEquals(5 * SECOND, InactivityWatch.periodNanos(LIMITS));
        assertEquals(250_000_000L, InactivityWatch.periodNanos(new SessionLimits(4, 60 * SECOND, SECOND)));
        assertEquals(10_000_000L, InactivityWatch.periodNanos(new SessionLimits(4, 1_000_000L, SECOND)));
    }
}
