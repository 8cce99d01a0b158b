package org.sipbridge.rtp;

/**
 * Releases a session whose media stopped: runs periodically on the session's event loop and compares the
 * packet counters with the previous run, so the packet path pays nothing (no clock read for this). The
 * countdown runs only while the session is "armed": both sides have sent SDP and at least one stream is
 * two-way on both sides (not {@code c=0.0.0.0}, not sendonly/recvonly/inactive), so a call that rings
 * long or sits on hold is not cut.
 * Fields are owned by the event loop.
 */
final class InactivityWatch implements Runnable {

    private final RelaySession session;
    private final long timeoutNanos;
    private long lastActivity = -1;
    private long lastChangeNanos;

    InactivityWatch(RelaySession session, long timeoutNanos) {
        this.session = session;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        if (!session.expectsMedia()) {
            lastActivity = -1;
            lastChangeNanos = now;
            return;
        }
        long activity = session.activity();
        if (activity != lastActivity) {
            lastActivity = activity;
            lastChangeNanos = now;
        } else if (now - lastChangeNanos >= timeoutNanos) {
            session.expire();
        }
    }

    /** How often to look: a quarter of the timeout, between 10 ms and 5 s. */
    static long periodNanos(long timeoutNanos) {
        return Math.max(10_000_000L, Math.min(5_000_000_000L, timeoutNanos / 4));
    }
}
