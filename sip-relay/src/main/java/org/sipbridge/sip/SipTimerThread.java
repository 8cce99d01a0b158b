package org.sipbridge.sip;

import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The relay's {@code sip-timers} thread, which also runs jain-sip's transaction timers
 * ({@code SharedSipTimer}): jain-sip cancels most of them (one per transaction). Every request the relay sends gets a no-answer deadline
 * (up to 32 s with the default T1) that its answer cancels at once; a cancelled task is removed
 * from the queue then, instead of waiting there until it is due: at a few hundred requests a
 * second, a few thousand dead deadlines kept their transactions reachable and made every
 * schedule and every wake-up sift a longer queue (#19).
 */
final class SipTimerThread {

    private SipTimerThread() {}

    static ScheduledThreadPoolExecutor start() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "sip-timers");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
