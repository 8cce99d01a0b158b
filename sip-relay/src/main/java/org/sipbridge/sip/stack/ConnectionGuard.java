package org.sipbridge.sip.stack;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection limits of one SIP stack: one {@link ListenerConnections} per TCP/TLS listener,
 * the rule that says which remote addresses are protected (they hold a live registration), the
 * {@link OutboundConnections} the stack opened itself, the periodic sweep, and the counts of
 * refused and closed connections.
 */
public final class ConnectionGuard {

    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

    private final ConnectionLimits limits;
    private final LongSupplier clock;
    private final List<ListenerConnections> listeners = new CopyOnWriteArrayList<>();
    private final LongAdder refused = new LongAdder();
    private final LongAdder evicted = new LongAdder();
    private final LongAdder closedOutbound = new LongAdder();
    private final OutboundConnections outbound = new OutboundConnections(this);
    private volatile Predicate<String> protectedAddress = address -> false;

    ConnectionGuard(ConnectionLimits limits, LongSupplier clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /**
     * Connections from addresses that satisfy {@code rule} (e.g. hold a live registration binding)
     * are never closed for idleness or to make room.
     */
    public void protectAddressesWhere(Predicate<String> rule) {
        this.protectedAddress = rule;
    }

    /**
     * Closes idle connections and stuck TLS handshakes on every listener, and idle connections the
     * stack opened; call every few seconds. Never throws: it runs on a fixed-delay schedule, which
     * an exception would end for good, leaving the limits unenforced (a failure is logged, and the
     * next sweep tries again).
     */
    public void sweep() {
        long now = clock.getAsLong();
        listeners.forEach(listener -> sweepLogging(() -> listener.sweep(now)));
        sweepLogging(() -> outbound.sweep(now));
    }

    private static void sweepLogging(Runnable sweep) {
        try {
            sweep.run();
        } catch (RuntimeException e) {
            log.warn("Connection sweep failed; trying again at the next one", e);
        }
    }

    /** Connections refused when they were accepted (address or listener full). */
    public long refused() {
        return refused.sum();
    }

    /** Connections closed by the limits: idle, handshake not finished, or to make room. */
    public long evicted() {
        return evicted.sum();
    }

    /** Connections the stack opened and the limits closed: idle, or more than its share for one address. */
    public long closedOutbound() {
        return closedOutbound.sum();
    }

    /** Connections the stack opened that are open now. */
    public int openOutbound() {
        return outbound.size();
    }

    public ConnectionLimits limits() {
        return limits;
    }

    /** The tracked sockets of every listener, for tests. */
    List<TrackedSocket> trackedForTests() {
        return listeners.stream()
                .flatMap(l -> l.openForTests().stream())
                .filter(TrackedSocket.class::isInstance)
                .map(TrackedSocket.class::cast)
                .toList();
    }

    ListenerConnections newListener(String name) {
        ListenerConnections listener = new ListenerConnections(name, this);
        listeners.add(listener);
        return listener;
    }

    /** Takes a connection the stack opened under the idle sweep. */
    <T extends TrackedConnection> T opened(T connection) {
        outbound.add(connection);
        return connection;
    }

    long now() {
        return clock.getAsLong();
    }

    boolean isProtected(String address) {
        return protectedAddress.test(address);
    }

    void countRefused() {
        refused.increment();
    }

    void countEvicted() {
        evicted.increment();
    }

    void countClosedOutbound() {
        closedOutbound.increment();
    }
}
