package org.sipbridge.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Periodic tasks due in the same slot share one scheduler entry, and still run as asked (#19). */
class PeriodicBatchesTest {

    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final PeriodicBatches batches = new PeriodicBatches(scheduler);

    PeriodicBatchesTest() {
        scheduler.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void tasksOfOneSlotShareOneSchedulerEntry() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        scheduler.execute(() -> await(blocked)); // holds the thread so the slot cannot pass meanwhile
        try {
            long start = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                batches.add(() -> {}, 60_000, 60_000);
            }
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            int slotsSpanned = (int) (tookMs / PeriodicBatches.GRAIN_MS) + 2;
            assertTrue(
                    batches.batchCount() <= slotsSpanned,
                    batches.batchCount() + " batches for tasks added within " + tookMs + " ms");
            assertEquals(batches.batchCount(), scheduler.getQueue().size(), "one scheduler entry per batch");
        } finally {
            blocked.countDown();
        }
    }

    @Test
    void aTaskRunsEveryPeriodAndNeverBeforeItsDelay() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicLong firstRun = new AtomicLong();
        CountDownLatch threeRuns = new CountDownLatch(3);
        long added = System.nanoTime();
        batches.add(
                () -> {
                    firstRun.compareAndSet(0, System.nanoTime());
                    runs.incrementAndGet();
                    threeRuns.countDown();
                },
                50,
                20);

        assertTrue(threeRuns.await(10, TimeUnit.SECONDS), "ran three times");
        assertTrue(firstRun.get() - added >= TimeUnit.MILLISECONDS.toNanos(50), "not before its delay");
    }

    @Test
    void aTaskJoiningARunningBatchWaitsForItsOwnDelay() throws Exception {
        AtomicLong ranAt = new AtomicLong();
        CountDownLatch ran = new CountDownLatch(1);
        // a batch ticking every 100 ms; a task due two periods after the batch's first tick may join
        // it, and must sit out the tick in between
        PeriodicBatches.Member first = batches.add(() -> {}, 0, 100);
        Thread.sleep(30);
        long added = System.nanoTime();
        batches.add(
                () -> {
                    if (ranAt.compareAndSet(0, System.nanoTime())) {
                        ran.countDown();
                    }
                },
                170,
                100);

        assertTrue(ran.await(10, TimeUnit.SECONDS), "ran");
        assertTrue(ranAt.get() - added >= TimeUnit.MILLISECONDS.toNanos(170), "not before its delay");
        first.cancel();
    }

    @Test
    void cancellingEveryTaskTakesTheBatchOutOfTheScheduler() {
        PeriodicBatches.Member a = batches.add(() -> {}, 60_000, 60_000);
        PeriodicBatches.Member b = batches.add(() -> {}, 60_000, 60_000);

        assertTrue(a.cancel(), "cancelled");
        assertFalse(a.cancel(), "cancelled once");
        assertTrue(b.cancel(), "cancelled");
        assertEquals(0, batches.batchCount(), "batches");
        assertEquals(0, scheduler.getQueue().size(), "scheduler entries");
    }

    @Test
    void aCancelledTaskNoLongerRuns() throws Exception {
        AtomicInteger cancelledRuns = new AtomicInteger();
        CountDownLatch otherRan = new CountDownLatch(3);
        PeriodicBatches.Member cancelled = batches.add(cancelledRuns::incrementAndGet, 300, 10);
        batches.add(otherRan::countDown, 300, 10);
        cancelled.cancel();

        assertTrue(otherRan.await(10, TimeUnit.SECONDS), "the other task ran");
        assertEquals(0, cancelledRuns.get(), "runs of the cancelled task");
    }

    @Test
    void aFailingTaskDoesNotStopTheOthersOfItsBatch() throws Exception {
        CountDownLatch otherRan = new CountDownLatch(3);
        batches.add(
                () -> {
                    throw new IllegalStateException("broken task");
                },
                0,
                10);
        batches.add(otherRan::countDown, 0, 10);

        assertTrue(otherRan.await(10, TimeUnit.SECONDS), "the other task kept running");
    }

    @Test
    void aStoppedSchedulerRefusesTheTaskAndKeepsNoBatch() {
        scheduler.shutdown();

        assertThrows(RejectedExecutionException.class, () -> batches.add(() -> {}, 10, 10));
        assertEquals(0, batches.batchCount(), "batches");
        batches.cancelAll(); // nothing half-made to cancel
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
