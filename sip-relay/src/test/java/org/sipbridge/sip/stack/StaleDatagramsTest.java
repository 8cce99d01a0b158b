package org.sipbridge.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gov.nist.javax.sip.stack.QueuedMessageDispatchBase;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Under a flood, the datagrams that waited too long to be parsed are dropped, oldest first. */
class StaleDatagramsTest {

    private final AtomicLong now = new AtomicLong(100_000);
    private final StaleDatagrams stale = new StaleDatagrams(now::get);

    @Test
    void datagramsOlderThanTheLimitAreDroppedFromTheHeadUntilTheFirstFreshOne() {
        LinkedBlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
        Queued oldest = new Queued(now.get() - 20_000);
        Queued old = new Queued(now.get() - StaleDatagrams.STALE_AFTER_MS - 1);
        Queued limit = new Queued(now.get() - StaleDatagrams.STALE_AFTER_MS);
        Queued fresh = new Queued(now.get() - 10);
        queue.addAll(List.of(oldest, old, limit, fresh));

        assertEquals(2, stale.dropStale(queue));

        assertEquals(List.of(limit, fresh), List.copyOf(queue), "a datagram exactly at the limit stays");
    }

    @Test
    void aQueueOfFreshDatagramsIsLeftAlone() {
        LinkedBlockingQueue<Queued> queue = new LinkedBlockingQueue<>(List.of(new Queued(now.get())));

        assertEquals(0, stale.dropStale(queue));
        assertEquals(0, stale.dropStale(new LinkedBlockingQueue<Queued>()));

        assertEquals(1, queue.size());
    }

    private record Queued(long receptionTime) implements QueuedMessageDispatchBase {
        @Override
        public long getReceptionTime() {
            return receptionTime;
        }

        @Override
        public void run() {}
    }
}
