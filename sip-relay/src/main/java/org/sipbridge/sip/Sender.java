package org.sipbridge.sip;

import gov.nist.javax.sip.TransactionExt;
import java.text.ParseException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.ObjectInUseException;
import javax.sip.SipException;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipbridge.config.UdpSettings;
import org.sipbridge.contract.Failures;

/**
 * Sends requests statefully from one side with the configured timers. jain-sip has no stack-wide
 * T1/T2 and no retry count, so T1/T2 are set per transaction and a deadline after the configured
 * number of sends declares the destination unreachable.
 */
public final class Sender {

    private final Side side;
    private final Supplier<UdpSettings> timers;
    private final ScheduledExecutorService scheduler;
    private final LargeRequests largeRequests;

    public Sender(Side side, Supplier<UdpSettings> timers, ScheduledExecutorService scheduler) {
        this(side, timers, scheduler, null);
    }

    /** A sender that moves requests too large for UDP to TCP by {@code largeRequests} (null: never). */
    public Sender(
            Side side, Supplier<UdpSettings> timers, ScheduledExecutorService scheduler, LargeRequests largeRequests) {
        this.side = side;
        this.timers = timers;
        this.scheduler = scheduler;
        this.largeRequests = largeRequests;
    }

    public Side side() {
        return side;
    }

    /** Runs {@code task} on the SIP timer thread (for events that arrive on other threads, e.g. media timeouts). */
    public void execute(Runnable task) {
        scheduler.execute(task);
    }

    /** Runs {@code task} on the SIP timer thread after {@code delayMs}; the returned future cancels it. */
    public ScheduledFuture<?> schedule(Runnable task, long delayMs) {
        return scheduler.schedule(task, delayMs, TimeUnit.MILLISECONDS);
    }

    /** The configured T1 (RFC 3261 §17.1.1.1), the unit of the SIP timers. */
    public int t1Ms() {
        return timers.get().t1Ms();
    }

    /** Sends {@code request}; the outcome goes to {@code exchange}, exactly once. */
    public ClientTransaction send(Request request, Exchange exchange) {
        ClientTransaction transaction;
        try {
            transaction = newTransaction(request);
        } catch (SipException | RuntimeException e) {
            exchange.onNoAnswer(null, "could not send: " + Failures.rootMessage(e));
            return null;
        }
        return send(transaction, null, exchange);
    }

    /** A transaction for {@code request}, for callers that must create a dialog before sending. */
    public ClientTransaction newTransaction(Request request) throws SipException {
        if (largeRequests != null) {
            try {
                largeRequests.fit(request);
            } catch (ParseException | InvalidArgumentException e) {
                throw new SipException("could not choose the transport", e);
            }
        }
        return side.provider().getNewClientTransaction(request);
    }

    /**
     * Sends a prepared transaction, within {@code dialog} when it is not null (so that the dialog
     * layer keeps its CSeq and route set); the outcome goes to {@code exchange}, exactly once.
     */
    public ClientTransaction send(ClientTransaction transaction, Dialog dialog, Exchange exchange) {
        UdpSettings settings = timers.get();
        Outcome outcome = new Outcome(exchange);
        Request request = transaction.getRequest();
        try {
            transaction.setRetransmitTimer(settings.t1Ms());
            ((TransactionExt) transaction).setTimerT2(settings.t2Ms());
            transaction.setApplicationData(outcome);
            if (dialog != null) {
                dialog.sendRequest(transaction);
            } else {
                transaction.sendRequest();
            }
        } catch (SipException | RuntimeException e) {
            if (largeRequests != null) {
                largeRequests.sendFailed(request, Failures.rootMessage(e));
            }
            outcome.noAnswer(null, "could not send: " + Failures.rootMessage(e));
            return null;
        }
        boolean invite = Request.INVITE.equals(request.getMethod());
        long deadline = deadlineMs(settings, invite);
        outcome.deadline = scheduler.schedule(
                () -> {
                    if (outcome.noAnswer(
                            transaction,
                            "no answer after " + (invite ? settings.maxInviteRetries() : settings.maxPacketRetries())
                                    + " sends in " + deadline + " ms")) {
                        terminate(transaction);
                    }
                },
                deadline,
                TimeUnit.MILLISECONDS);
        return transaction;
    }

    /**
     * How long to wait for any answer: the interval after the last allowed send, retransmitting at
     * T1, 2·T1, 4·T1… (capped at T2 for non-INVITE, RFC 3261 §17.1.2.2).
     */
    static long deadlineMs(UdpSettings settings, boolean invite) {
        int sends = invite ? settings.maxInviteRetries() : settings.maxPacketRetries();
        long total = 0;
        long interval = settings.t1Ms();
        for (int i = 0; i < sends; i++) {
            total += invite ? interval : Math.min(interval, settings.t2Ms());
            interval *= 2;
        }
        return total;
    }

    /** Routes a response or a stack timeout of a transaction this sender created. */
    static void deliver(ClientTransaction transaction, Response response) {
        if (transaction.getApplicationData() instanceof Outcome outcome) {
            outcome.response(transaction, response);
        }
    }

    static void deliverTimeout(ClientTransaction transaction) {
        if (transaction.getApplicationData() instanceof Outcome outcome) {
            outcome.noAnswer(transaction, "transaction timed out");
        }
    }

    private static void terminate(ClientTransaction transaction) {
        try {
            transaction.terminate();
        } catch (ObjectInUseException e) {
            // Already ending; nothing left to release.
        }
    }

    /** Guards the exactly-once rule between the stack's threads and the deadline timer. */
    private static final class Outcome {
        private final Exchange exchange;
        private boolean answered;
        private boolean ended;
        volatile ScheduledFuture<?> deadline;

        Outcome(Exchange exchange) {
            this.exchange = exchange;
        }

        void response(ClientTransaction transaction, Response response) {
            boolean isFinal = response.getStatusCode() >= 200;
            synchronized (this) {
                if (ended) {
                    return;
                }
                answered = true;
                ended = isFinal;
            }
            ScheduledFuture<?> timer = deadline;
            if (timer != null) {
                timer.cancel(false);
            }
            exchange.onResponse(response, transaction);
        }

        boolean noAnswer(ClientTransaction transaction, String why) {
            synchronized (this) {
                if (ended || (answered && transaction != null && why.startsWith("no answer"))) {
                    return false;
                }
                ended = true;
            }
            exchange.onNoAnswer(transaction, why);
            return true;
        }
    }
}
