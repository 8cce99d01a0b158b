package org.sipbridge.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The admission and sweep rules of one listener, on fake connections and a fake clock. */
class ListenerConnectionsTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final ConnectionGuard guard = new ConnectionGuard(
            new ConnectionLimits(3, 5, Duration.ofSeconds(120), Duration.ofSeconds(10)), clock::get);
    private final ListenerConnections listener = guard.newListener("test");

    private final class Fake extends FakeConnection {
        Fake(String address) {
            super(address, clock.get());
        }
    }

    private Fake connect(String address) {
        Fake connection = new Fake(address);
        clock.addAndGet(SECOND);
        return listener.admit(connection) ? connection : null;
    }

    @Test
    void oneAddressGetsNoMoreThanItsShare() {
        for (int i = 0; i < 3; i++) {
            assertTrue(connect("10.0.0.9") != null);
        }
        assertEquals(null, connect("10.0.0.9"), "fourth from the same address");
        assertTrue(connect("10.0.0.20") != null, "another address still gets in");
        assertEquals(1, guard.refused());
    }

    @Test
    void aFullListenerMakesRoomByClosingTheIdlestConnectionOfTheBiggestHolder() {
        List<Fake> flood = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            flood.add(connect("10.0.0.9"));
        }
        Fake other = connect("10.0.0.8");
        connect("10.0.0.7");
        flood.get(0).lastActivity = clock.get(); // the first one spoke recently: the second is the idlest

        Fake phone = connect("10.0.0.20");

        assertTrue(phone != null, "a newcomer gets in although the listener was full");
        assertTrue(flood.get(1).closed, "the idlest connection of the address holding most was closed");
        assertFalse(flood.get(0).closed || flood.get(2).closed || other.closed);
        assertEquals(1, guard.evicted());
        assertEquals(5, listener.size());
    }

    @Test
    void registeredPhonesAreNeverClosedToMakeRoom() {
        guard.protectAddressesWhere(Set.of("10.0.0.20", "10.0.0.21")::contains);
        List<Fake> phones = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            phones.add(connect("10.0.0.20"));
        }
        phones.add(connect("10.0.0.21"));
        phones.add(connect("10.0.0.21"));

        assertEquals(null, connect("10.0.0.9"), "full of registered phones: the stranger is refused");
        assertTrue(phones.stream().noneMatch(p -> p.closed));
        assertEquals(1, guard.refused());
        assertEquals(0, guard.evicted());
    }

    @Test
    void idleConnectionsAreClosedUnlessTheirAddressIsRegistered() {
        guard.protectAddressesWhere("10.0.0.20"::equals);
        Fake idle = connect("10.0.0.9");
        Fake phone = connect("10.0.0.20");
        Fake talking = connect("10.0.0.10");

        clock.addAndGet(121 * SECOND);
        talking.lastActivity = clock.get() - 119 * SECOND;
        listener.sweep(clock.get());

        assertTrue(idle.closed, "no byte for 121 s");
        assertFalse(phone.closed, "registered phone, idle as long");
        assertFalse(talking.closed, "a byte 119 s ago");
        assertEquals(2, listener.size());
    }

    @Test
    void aTlsHandshakeThatDoesNotFinishInTimeIsClosedEvenForARegisteredAddress() {
        guard.protectAddressesWhere("10.0.0.20"::equals);
        Fake stuck = new Fake("10.0.0.20");
        stuck.handshakePending = true;
        listener.admit(stuck);
        Fake done = new Fake("10.0.0.9");
        listener.admit(done);

        clock.addAndGet(9 * SECOND);
        listener.sweep(clock.get());
        assertFalse(stuck.closed, "9 s is within the handshake timeout");

        clock.addAndGet(2 * SECOND);
        stuck.lastActivity = clock.get(); // bytes arriving do not make a handshake finish
        listener.sweep(clock.get());
        assertTrue(stuck.closed);
        assertFalse(done.closed);
        assertEquals(1, guard.evicted());
    }

    @Test
    void connectionsClosedByJainSipFreeTheirSlot() {
        List<Fake> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(connect("10.0.0.9"));
        }
        mine.get(0).closed = true;
        assertTrue(connect("10.0.0.9") != null);
        assertEquals(0, guard.refused());
    }

    @Test
    void limitsThatMakeNoSenseAreRejectedWithTheirName() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new ConnectionLimits(16, 8, Duration.ofSeconds(120), Duration.ofSeconds(10)));
        assertTrue(e.getMessage().startsWith("perListener"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new ConnectionLimits(0, 8, Duration.ofSeconds(120), Duration.ofSeconds(10)));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ConnectionLimits(1, 8, Duration.ZERO, Duration.ofSeconds(10)));
    }

    @Test
    void aFailingProtectionRuleNeitherThrowsOutOfTheSweepNorStopsTheNextOne() {
        // The sweep runs on a fixed-delay schedule: an exception out of it would end the schedule.
        AtomicLong failures = new AtomicLong(1);
        guard.protectAddressesWhere(address -> {
            if (failures.getAndDecrement() > 0) {
                throw new IllegalStateException("binding table unavailable");
            }
            return false;
        });
        Fake idle = connect("10.0.0.9");
        FakeConnection outbound = guard.opened(new FakeConnection("10.0.0.30", clock.get()));
        clock.addAndGet(121 * SECOND);
        guard.sweep();
        assertTrue(outbound.closed, "the stack's own connections are swept although a listener's sweep failed");
        assertFalse(idle.closed);
        guard.sweep();
        assertTrue(idle.closed, "the next sweep works again");
    }
}
