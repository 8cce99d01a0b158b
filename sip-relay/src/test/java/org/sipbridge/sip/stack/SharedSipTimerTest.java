package org.sipbridge.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import gov.nist.javax.sip.stack.timers.SipTimer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.sip.SipStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.BridgeConfig;

/** jain-sip's timers run on the relay's timer thread: no timer thread of the stack's own (#19). */
class SharedSipTimerTest {

    private final ScheduledExecutorService relayTimer = relayTimer();

    private static ScheduledExecutorService relayTimer() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "relay-timer-under-test");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true); // as the relay's (SipTimerThread)
        return executor;
    }

    @AfterEach
    void stopTimer() {
        relayTimer.shutdownNow();
    }

    @Test
    void creatingAStackStartsOnlyItsEventThread() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        SipStack stack = create("no-thread");
        try {
            List<String> started = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> !before.contains(thread))
                    .map(Thread::getName)
                    .toList();
            // the event thread runs the relay's listener; jain-sip's DefaultSipTimerThread must not be here
            assertEquals(List.of("EventScannerThread"), started, "threads the stack started");
        } finally {
            stack.stop();
        }
    }

    @Test
    void theStacksTimerTasksRunOnTheRelaysTimerThread() throws Exception {
        SipStack stack = create("runs-on");
        try {
            CompletableFuture<String> ranOn = new CompletableFuture<>();
            boolean scheduled = ((SipStackImpl) stack)
                    .getTimer()
                    .schedule(
                            new SIPStackTimerTask() {
                                @Override
                                public void runTask() {
                                    ranOn.complete(Thread.currentThread().getName());
                                }

                                @Override
                                public Object getThreadHash() {
                                    return null;
                                }
                            },
                            0);

            assertTrue(scheduled, "scheduled");
            assertEquals("relay-timer-under-test", ranOn.get(5, TimeUnit.SECONDS));
        } finally {
            stack.stop();
        }
    }

    @Test
    void periodicTasksShareSchedulerEntries() throws Exception {
        SipStack stack = create("batches");
        try {
            SipTimer timer = ((SipStackImpl) stack).getTimer();
            List<SIPStackTimerTask> tasks = new java.util.ArrayList<>();
            for (int i = 0; i < 500; i++) {
                SIPStackTimerTask task = idle();
                tasks.add(task);
                // what jain-sip does per transaction: a tick every T1 while it lives
                assertTrue(timer.scheduleWithFixedDelay(task, 500, 500), "scheduled");
            }
            int entries = ((ScheduledThreadPoolExecutor) relayTimer).getQueue().size();
            assertTrue(entries <= 50, entries + " scheduler entries for 500 periodic tasks");

            tasks.forEach(timer::cancel);
            assertEquals(
                    0, ((ScheduledThreadPoolExecutor) relayTimer).getQueue().size(), "entries after cancelling");
        } finally {
            stack.stop();
        }
    }

    @Test
    void stoppingTheStackLeavesTheRelaysTimerRunning() throws Exception {
        SipStack stack = create("stops");
        SipTimer timer = ((SipStackImpl) stack).getTimer();
        stack.stop();

        assertFalse(relayTimer.isShutdown(), "the relay's timer is the relay's to shut down");
        assertFalse(timer.isStarted(), "the stack's timer stopped");
        assertEquals("still runs", relayTimer.submit(() -> "still runs").get(5, TimeUnit.SECONDS));
    }

    private static SIPStackTimerTask idle() {
        return new SIPStackTimerTask() {
            @Override
            public void runTask() {}

            @Override
            public Object getThreadHash() {
                return null;
            }
        };
    }

    private SipStack create(String name) throws Exception {
        return SipStackFactory.create(
                "timer-" + name + "-" + ProcessHandle.current().pid(),
                BridgeConfig.defaults().protocols(),
                relayTimer);
    }
}
