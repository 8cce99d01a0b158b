package org.sipbridge.sip.stack;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Periodic tasks of one period that come due within the same {@link #GRAIN_MS} slot run together,
 * from one entry in the scheduler. jain-sip gives every transaction (and dialog) a task that ticks
 * every T1 for as long as it lives, 32 s after its final answer for a UDP non-INVITE: at 40
 * registrations a second that is thousands of live tasks, and as separate scheduler entries each
 * tick was a wake-up of the timer thread and a sift of a queue thousands long (15–20 % of the
 * bridge's CPU under load, #19). In batches the queue holds at most period ÷ grain entries, and a
 * busy timer thread wakes at most once per grain.
 *
 * <p>A task never runs before its delay; it may run up to one grain later (each later tick keeps
 * that offset: the batch runs at a fixed rate). Thread-safe: tasks are added and cancelled on the
 * stack's threads and run on the scheduler's.
 */
final class PeriodicBatches {

    /** How far a task's ticks may be pushed back to share a batch; small against T1 (500 ms). */
    static final long GRAIN_MS = 10;

    private static final long GRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(GRAIN_MS);

    /** A task in a batch: cancelling it takes it out (and the batch out of the scheduler once empty). */
    interface Member {
        /** False when it was cancelled before. */
        boolean cancel();
    }

    private final ScheduledExecutorService scheduler;
    private final Map<Key, Batch> batches = new HashMap<>();

    PeriodicBatches(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Runs {@code task} after {@code delayMs} (or up to a grain later), then every {@code periodMs}.
     *
     * @throws java.util.concurrent.RejectedExecutionException the scheduler is shutting down
     */
    Member add(Runnable task, long delayMs, long periodMs) {
        if (periodMs <= 0) {
            throw new IllegalArgumentException("period must be positive: " + periodMs);
        }
        long now = System.nanoTime();
        long due = now + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMs));
        long slot = ceilToGrain(due);
        long period = TimeUnit.MILLISECONDS.toNanos(periodMs);
        Key key = new Key(period, Math.floorMod(slot, period));
        Entry entry = new Entry(task, due);
        synchronized (this) {
            Batch batch = batches.get(key);
            if (batch == null) {
                batch = new Batch(key);
                // scheduled before it is kept: a stopping scheduler refuses it (RejectedExecutionException)
                batch.future = scheduler.scheduleAtFixedRate(batch::tick, slot - now, period, TimeUnit.NANOSECONDS);
                batches.put(key, batch);
            }
            entry.batch = batch;
            batch.entries.add(entry);
        }
        return entry;
    }

    /** Takes every batch out of the scheduler (the stack stopped). */
    synchronized void cancelAll() {
        batches.values().forEach(batch -> batch.future.cancel(false));
        batches.clear();
    }

    /** Batches in the scheduler now (for tests). */
    synchronized int batchCount() {
        return batches.size();
    }

    private static long ceilToGrain(long nanos) {
        return Math.floorDiv(nanos + GRAIN_NANOS - 1, GRAIN_NANOS) * GRAIN_NANOS;
    }

    private synchronized boolean remove(Entry entry) {
        if (entry.cancelled) {
            return false;
        }
        entry.cancelled = true;
        Batch batch = entry.batch;
        if (batch.entries.remove(entry) && batch.entries.isEmpty() && batches.get(batch.key) == batch) {
            batches.remove(batch.key);
            batch.future.cancel(false);
        }
        return true;
    }

    /** The tasks of one period whose ticks fall in one grain slot (phase within the period). */
    private record Key(long periodNanos, long phaseNanos) {}

    private final class Batch {
        final Key key;
        final Set<Entry> entries = new LinkedHashSet<>();
        ScheduledFuture<?> future;

        Batch(Key key) {
            this.key = key;
        }

        void tick() {
            Entry[] now;
            synchronized (PeriodicBatches.this) {
                now = entries.toArray(new Entry[0]);
            }
            long time = System.nanoTime();
            for (Entry entry : now) {
                // The scheduler's clock runs the batch at or after the slot, so only an entry added
                // less than a period before this round (a later slot) is not due yet.
                if (!entry.cancelled && time >= entry.notBefore) {
                    try {
                        entry.task.run();
                    } catch (RuntimeException e) {
                        // The tasks report their own failures (SharedSipTimer); one must not stop the others.
                    }
                }
            }
        }
    }

    private final class Entry implements Member {
        final Runnable task;
        final long notBefore;
        Batch batch;
        volatile boolean cancelled;

        Entry(Runnable task, long notBefore) {
            this.task = task;
            this.notBefore = notBefore;
        }

        @Override
        public boolean cancel() {
            return remove(this);
        }
    }
}
