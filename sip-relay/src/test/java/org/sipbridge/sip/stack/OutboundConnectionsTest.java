package org.sipbridge.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The idle sweep of the connections the stack opened itself, on fake connections and a fake clock. */
class OutboundConnectionsTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final ConnectionGuard guard = new ConnectionGuard(
            new ConnectionLimits(3, 5, Duration.ofSeconds(120), Duration.ofSeconds(10)), clock::get);

    @Test
    void aConnectionThatReceivedNothingForTheIdleTimeoutIsClosedAndCounted() {
        FakeConnection silent = guard.opened(new FakeConnection("198.19.2.10", clock.get()));
        clock.addAndGet(120 * SECOND);
        guard.sweep();
        assertFalse(silent.closed, "idle for exactly the timeout: still open");
        clock.addAndGet(SECOND);
        guard.sweep();
        assertTrue(silent.closed);
        assertEquals(1, guard.closedOutbound());
        assertEquals(0, guard.openOutbound());
        assertEquals(0, guard.evicted(), "counted apart from the listeners' evictions");
    }

    @Test
    void aConnectionToAServerThatAnswersStaysOpenAnIdleOneToTheSameAddressDoesNot() {
        // Configured servers and registered phones are protected on the listeners; here only traffic counts.
        guard.protectAddressesWhere(address -> true);
        FakeConnection probed = guard.opened(new FakeConnection("198.19.2.10", clock.get()));
        FakeConnection provoked = guard.opened(new FakeConnection("198.19.2.10", clock.get()));
        for (int i = 0; i < 20; i++) { // 300 s, the server answering an OPTIONS probe every 15 s
            clock.addAndGet(15 * SECOND);
            probed.lastActivity = clock.get();
            guard.sweep();
        }
        assertFalse(probed.closed, "a connection that carries traffic is never idle");
        assertTrue(provoked.closed, "an idle one is closed even to a configured server's address");
        assertEquals(1, guard.closedOutbound());
        assertEquals(1, guard.openOutbound());
    }

    @Test
    void anAddressHoldsNoMoreThanItsShareTheIdlestGoesFirst() {
        FakeConnection[] back = new FakeConnection[3];
        for (int i = 0; i < 3; i++) { // perSource is 3 here; 16 by default
            back[i] = guard.opened(new FakeConnection("198.18.1.66", clock.get()));
            clock.addAndGet(SECOND);
        }
        back[0].lastActivity = clock.get(); // the first one spoke last: the second is the idlest
        FakeConnection other = guard.opened(new FakeConnection("198.19.2.10", clock.get()));
        FakeConnection fourth = guard.opened(new FakeConnection("198.18.1.66", clock.get()));
        assertTrue(back[1].closed, "the idlest of that address made room");
        assertFalse(back[0].closed || back[2].closed || fourth.closed || other.closed);
        assertEquals(1, guard.closedOutbound());
        assertEquals(4, guard.openOutbound());
    }

    @Test
    void aConnectionClosedElsewhereIsForgottenWithoutBeingCounted() {
        FakeConnection gone = guard.opened(new FakeConnection("198.19.2.10", clock.get()));
        gone.closed = true; // the peer closed it, jain-sip's reader saw the end
        clock.addAndGet(200 * SECOND);
        guard.sweep();
        assertEquals(0, guard.closedOutbound());
        assertEquals(0, guard.openOutbound());
    }
}
