package org.sipbridge.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SipTimerThreadTest {

    @Test
    void aCancelledDeadlineLeavesTheQueueAtOnce() {
        ScheduledThreadPoolExecutor timers = SipTimerThread.start();
        try {
            ScheduledFuture<?> deadline = timers.schedule(() -> {}, 32, TimeUnit.SECONDS);
            assertEquals(1, timers.getQueue().size());

            assertTrue(deadline.cancel(false));

            assertEquals(0, timers.getQueue().size());
        } finally {
            timers.shutdownNow();
        }
    }

    @Test
    void runsOnOneDaemonThreadNamedSipTimers() throws Exception {
        ScheduledThreadPoolExecutor timers = SipTimerThread.start();
        try {
            Thread thread = timers.submit(Thread::currentThread).get(5, TimeUnit.SECONDS);
            assertEquals("sip-timers", thread.getName());
            assertTrue(thread.isDaemon());
            assertEquals(1, timers.getCorePoolSize());
        } finally {
            timers.shutdownNow();
        }
    }
}
