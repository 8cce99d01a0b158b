package org.sipbridge.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipbridge.contract.api.CallSession;
import org.sipbridge.contract.status.CallStatus;
import org.sipbridge.rtp.EndReason;
import org.sipbridge.rtp.SessionSnapshot;

/** {@code /api/sessions} joins each call to its own media session, by the id the call keeps. */
class CallSessionsTest {

    private static final Instant T0 = Instant.parse("2026-12-05T04:00:00Z");
    private final Clock clock = Clock.fixed(T0.plusSeconds(30), ZoneOffset.UTC);

    private static CallStatus call(String state, Instant ended, String mediaId) {
        return new CallStatus(
                "reused@phone", "Desk 1001", "2000", true, state, T0, null, ended, List.of(), "198.18.1.10", mediaId);
    }

    @Test
    void twoAttemptsOfOneCallIdStartedInTheSameMillisecondEachGetTheirOwnMedia() {
        // A phone that sends its next call with the Call-ID of the one that just failed, at once: both calls and
        // both media sessions start in the same millisecond, so Call-ID and start time cannot tell them apart.
        SessionSnapshot failed = new SessionSnapshot("m1", "reused@phone", T0, T0, EndReason.RELEASED, List.of());
        SessionSnapshot live = new SessionSnapshot("m2", "reused@phone", T0, null, null, List.of());
        CallSessions sessions = new CallSessions(
                () -> List.of(call("ENDED", T0, "m1"), call("ANSWERED", null, "m2")),
                () -> List.of(failed, live),
                clock);

        List<CallSession> rows = sessions.list("");

        // The ended attempt shows its ended media, the live call its live media (the old match gave both m1).
        assertEquals(
                java.util.Arrays.asList(T0, null),
                rows.stream().map(row -> row.media().ended()).toList());
    }

    @Test
    void aCallWithoutMediaGetsNoneEvenWhenASessionHasItsCallId() {
        SessionSnapshot other = new SessionSnapshot("m7", "reused@phone", T0, null, null, List.of());
        CallSessions sessions = new CallSessions(() -> List.of(call("ENDED", T0, null)), () -> List.of(other), clock);

        assertNull(sessions.list("").get(0).media());
    }

    @Test
    void aCallWhoseMediaIsNoLongerKeptHasNone() {
        // The relay keeps the last ended sessions only (and forgets all of them when it restarts).
        CallSessions sessions = new CallSessions(() -> List.of(call("ENDED", T0, "m3")), List::of, clock);

        assertNull(sessions.list("").get(0).media());
    }
}
