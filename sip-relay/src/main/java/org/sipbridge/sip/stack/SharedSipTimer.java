package org.sipbridge.sip.stack;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import gov.nist.javax.sip.stack.timers.SipTimer;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * jain-sip's transaction and dialog timers on the relay's own timer thread instead of a thread of
 * their own (jain-sip's default is a {@code java.util.Timer} per stack: one more idle thread, #19).
 * jain-sip instantiates this class by name ({@code gov.nist.javax.sip.TIMER_CLASS_NAME}) while the
 * stack is constructed, so the scheduler is handed over beforehand under the stack's name
 * ({@link #prepare}), the way {@link DscpNetworkLayer} gets its TLS identity.
 *
 * <p>The periodic tasks (one per live transaction and dialog, ticking every T1) run in
 * {@link PeriodicBatches}: one scheduler entry per 10 ms slot instead of one per task.
 *
 * <p>The scheduler belongs to the relay: {@link #stop()} only stops this stack's tasks from running
 * (jain-sip stops its timer when the stack stops), it never shuts the scheduler down.
 */
public final class SharedSipTimer implements SipTimer {

    private static final Map<String, ScheduledExecutorService> BY_STACK = new ConcurrentHashMap<>();

    private volatile ScheduledExecutorService scheduler;
    private volatile PeriodicBatches periodic;
    private volatile boolean started;

    /** The scheduler for the stack about to be created under {@code stackName}. */
    public static void prepare(String stackName, ScheduledExecutorService scheduler) {
        BY_STACK.put(stackName, scheduler);
    }

    /** Forgets a stopped stack. */
    public static void forget(String stackName) {
        BY_STACK.remove(stackName);
    }

    @Override
    public void start(SipStackImpl stack, Properties configuration) {
        ScheduledExecutorService prepared = BY_STACK.get(stack.getStackName());
        if (prepared == null) {
            throw new IllegalStateException("no timer prepared for SIP stack " + stack.getStackName());
        }
        scheduler = prepared;
        periodic = new PeriodicBatches(prepared);
        started = true;
    }

    @Override
    public boolean schedule(SIPStackTimerTask task, long delayMs) {
        return submit(task, () -> scheduler.schedule(guarded(task), delayMs, TimeUnit.MILLISECONDS));
    }

    @Override
    public boolean scheduleWithFixedDelay(SIPStackTimerTask task, long delayMs, long periodMs) {
        return submit(task, () -> periodic.add(guarded(task), delayMs, periodMs));
    }

    private boolean submit(SIPStackTimerTask task, java.util.function.Supplier<Object> scheduling) {
        if (!started) {
            return false;
        }
        try {
            task.setSipTimerTask(scheduling.get());
            return true;
        } catch (RejectedExecutionException stopping) {
            return false; // the relay is stopping: its scheduler takes no more work
        }
    }

    /** Runs a task unless this stack's timer has stopped; a failure is jain-sip's problem, not the thread's end. */
    private Runnable guarded(SIPStackTimerTask task) {
        return () -> {
            if (!started) {
                return;
            }
            try {
                task.runTask();
            } catch (RuntimeException e) {
                Slf4jStackLogger.problem("timer task " + task.getClass().getName() + " failed", e);
            }
        };
    }

    @Override
    public boolean cancel(SIPStackTimerTask task) {
        Object scheduled = task.getSipTimerTask();
        if (!(scheduled instanceof Future<?> || scheduled instanceof PeriodicBatches.Member)) {
            return false;
        }
        task.cleanUpBeforeCancel();
        task.setSipTimerTask(null);
        return scheduled instanceof Future<?> future
                ? future.cancel(false)
                : ((PeriodicBatches.Member) scheduled).cancel();
    }

    @Override
    public void stop() {
        started = false;
        PeriodicBatches batches = periodic;
        if (batches != null) {
            batches.cancelAll();
        }
    }

    @Override
    public boolean isStarted() {
        return started;
    }
}
