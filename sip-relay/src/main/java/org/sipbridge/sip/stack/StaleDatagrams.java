package org.sipbridge.sip.stack;

import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.stack.QueuedMessageDispatchBase;
import gov.nist.javax.sip.stack.UDPMessageProcessor;
import gov.nist.javax.sip.stack.UdpMessageQueues;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.function.LongSupplier;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Under a flood, drops the datagrams that waited in a UDP listening point's queue longer than
 * {@link #STALE_AFTER_MS}: their sender has retransmitted or given up by then, and parsing them
 * would only delay fresh ones. jain-sip does the same with the same figures (its
 * {@code CONGESTION_CONTROL_TIMEOUT}, 8 s, checked every 2 s) but starts a {@code Timer} thread per UDP
 * listening point for it: two idle threads and one wake-up a second on a laptop (#19). The relay
 * turns jain-sip's off ({@link SipStackFactory}) and runs {@link #dropFrom} every
 * {@link #CHECK_EVERY_MS} on its own timer thread instead.
 */
public final class StaleDatagrams {

    private static final Logger log = LoggerFactory.getLogger(StaleDatagrams.class);
    /** jain-sip's default congestion-control timeout. */
    public static final long STALE_AFTER_MS = 8_000;
    /** jain-sip's auditor's period. */
    public static final long CHECK_EVERY_MS = 2_000;

    private final LongSupplier clockMs;
    private long dropped;

    public StaleDatagrams(LongSupplier clockMs) {
        this.clockMs = clockMs;
    }

    /** Drops the stale datagrams of every UDP listening point {@code stack} has now. */
    public void dropFrom(SipStack stack) {
        for (Queue<? extends QueuedMessageDispatchBase> queue : udpQueues(stack)) {
            int count = dropStale(queue);
            if (count > 0) {
                dropped += count;
                log.warn(
                        "SIP: dropped {} datagram(s) that waited more than {} ms to be parsed ({} since start)",
                        count,
                        STALE_AFTER_MS,
                        dropped);
            }
        }
    }

    /** The queues of the stack's UDP listening points (they change when the VPN side moves). */
    static List<Queue<? extends QueuedMessageDispatchBase>> udpQueues(SipStack stack) {
        List<Queue<? extends QueuedMessageDispatchBase>> queues = new ArrayList<>();
        for (Iterator<?> points = stack.getListeningPoints(); points.hasNext(); ) {
            if (points.next() instanceof ListeningPointImpl point
                    && point.getMessageProcessor() instanceof UDPMessageProcessor udp) {
                queues.add(UdpMessageQueues.of(udp));
            }
        }
        return queues;
    }

    /**
     * Removes queued datagrams from the head while they are older than {@link #STALE_AFTER_MS}
     * (the queue is in arrival order, so the first fresh one ends it); returns how many.
     */
    int dropStale(Queue<? extends QueuedMessageDispatchBase> queue) {
        long now = clockMs.getAsLong();
        int count = 0;
        for (QueuedMessageDispatchBase head = queue.peek();
                head != null && now - head.getReceptionTime() > STALE_AFTER_MS;
                head = queue.peek()) {
            // remove(head), not poll(): the message thread may have taken the head meanwhile.
            if (queue.remove(head)) {
                count++;
            }
        }
        return count;
    }
}
