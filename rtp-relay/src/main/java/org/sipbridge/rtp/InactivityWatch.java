package org.sipbridge.rtp;

import java.util.function.LongSupplier;

/**
 * Ends a session whose media stopped or never became a call: runs periodically on the session's event loop
 * and compares packet counters with the previous run, so the packet path pays nothing (no clock read for
 * this). Two limits:
 * <ul>
 *   <li>while two-way media is expected (both sides have sent SDP and some stream is sendrecv on both, not
 *       {@code c=0.0.0.0}): no packet for the inactivity timeout ends it ({@link EndReason#INACTIVITY});</li>
 *   <li>otherwise (ringing, held, inactive, one-way): the hold timeout, counted from when two-way media
 *       stopped being expected, ends it ({@link EndReason#HOLD_TIMEOUT}); packets do not reset it, so a
 *       held stream with music on hold is bounded too. Without this, {@code a=inactive} streams held their
 *       ports for ever.</li>
 * </ul>
 * Fields are owned by the event loop.
 */
final class InactivityWatch implements Runnable {

    /** What the watch looks at; the session, or a fake in tests. */
    interface Watched {
        /** Whether any stream should be carrying two-way media now. */
        boolean expectsMedia();

        /** Packets relayed so far, all streams and directions. */
        long activity();

        void expire(EndReason reason);
    }

    private final Watched session;
    private final SessionLimits limits;
    private final LongSupplier clock;
    private long lastActivity = -1;
    private long lastChangeNanos;
    /** When two-way media stopped being expected (or the session started without it). */
    private long quietSinceNanos;

    private boolean expecting;

    InactivityWatch(Watched session, SessionLimits limits, LongSupplier clock) {
        this.session = session;
        this.limits = limits;
        this.clock = clock;
        this.quietSinceNanos = clock.getAsLong();
    }

    @Override
    public void run() {
        long now = clock.getAsLong();
        if (!session.expectsMedia()) {
            if (expecting) {
                expecting = false;
                quietSinceNanos = now;
            }
            lastActivity = -1;
            if (now - quietSinceNanos >= limits.holdTimeoutNanos()) {
                session.expire(EndReason.HOLD_TIMEOUT);
            }
            return;
        }
        expecting = true;
        long activity = session.activity();
        if (activity != lastActivity) {
            lastActivity = activity;
            lastChangeNanos = now;
        } else if (now - lastChangeNanos >= limits.inactivityNanos()) {
            session.expire(EndReason.INACTIVITY);
        }
    }

    /** How often to look: a quarter of the shorter limit, between 10 ms and 5 s. */
    static long periodNanos(SessionLimits limits) {
        long shorter = Math.min(limits.inactivityNanos(), limits.holdTimeoutNanos());
        return Math.max(10_000_000L, Math.min(5_000_000_000L, shorter / 4));
    }
}
