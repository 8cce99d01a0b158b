package org.sipbridge.sip.stack;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections one SIP listener has accepted, and the rules for admitting another: at most
 * {@link ConnectionLimits#perSource()} per remote address and {@link ConnectionLimits#perListener()}
 * in all. When the listener is full, the idlest connection of the address holding the most
 * connections is closed to make room, but never one from an address with a live registration: a
 * registered phone's connection survives any flood. Threads: jain-sip's accept thread admits,
 * the relay's timer thread sweeps; both hold this object's lock.
 */
final class ListenerConnections {

    private static final Logger log = LoggerFactory.getLogger(ListenerConnections.class);

    private final String name;
    private final ConnectionGuard guard;
    private final List<TrackedConnection> open = new ArrayList<>();

    ListenerConnections(String name, ConnectionGuard guard) {
        this.name = name;
        this.guard = guard;
    }

    /** Takes {@code connection} under the limits, or refuses it (the caller closes it). */
    synchronized boolean admit(TrackedConnection connection) {
        open.removeIf(TrackedConnection::isClosed);
        ConnectionLimits limits = guard.limits();
        String address = connection.remoteAddress();
        if (countFrom(address) >= limits.perSource()) {
            guard.countRefused();
            log.debug("{}: refused a connection from {}: it holds {} already", name, address, limits.perSource());
            return false;
        }
        if (open.size() >= limits.perListener()) {
            Optional<TrackedConnection> victim = evictable();
            if (victim.isEmpty()) {
                guard.countRefused();
                log.debug(
                        "{}: refused a connection from {}: {} connections, all of registered phones",
                        name,
                        address,
                        open.size());
                return false;
            }
            close(victim.get(), "to make room");
        }
        open.add(connection);
        return true;
    }

    /**
     * Closes connections idle for longer than the idle timeout (unless their address holds a live
     * registration) and TLS connections still without a finished handshake after the handshake timeout.
     */
    synchronized void sweep(long now) {
        open.removeIf(TrackedConnection::isClosed);
        ConnectionLimits limits = guard.limits();
        for (TrackedConnection connection : List.copyOf(open)) {
            if (connection.handshakePending()
                    && now - connection.openedAt() > limits.handshakeTimeout().toNanos()) {
                close(
                        connection,
                        "TLS handshake not finished in "
                                + limits.handshakeTimeout().toSeconds() + " s");
            } else if (now - connection.lastActivity() > limits.idleTimeout().toNanos()
                    && !guard.isProtected(connection.remoteAddress())) {
                close(connection, "idle for " + limits.idleTimeout().toSeconds() + " s");
            }
        }
    }

    /** Connections open now. */
    synchronized int size() {
        open.removeIf(TrackedConnection::isClosed);
        return open.size();
    }

    /** The open connections, for tests. */
    synchronized List<TrackedConnection> openForTests() {
        return List.copyOf(open);
    }

    private int countFrom(String address) {
        return (int)
                open.stream().filter(c -> c.remoteAddress().equals(address)).count();
    }

    /** The idlest connection of the unprotected address that holds the most connections. */
    private Optional<TrackedConnection> evictable() {
        Map<String, Integer> perAddress = new HashMap<>();
        Map<String, Boolean> protectedAddress = new HashMap<>();
        for (TrackedConnection c : open) {
            perAddress.merge(c.remoteAddress(), 1, Integer::sum);
        }
        return open.stream()
                .filter(c -> !protectedAddress.computeIfAbsent(c.remoteAddress(), guard::isProtected))
                .min(Comparator.<TrackedConnection>comparingInt(c -> -perAddress.get(c.remoteAddress()))
                        .thenComparingLong(TrackedConnection::lastActivity));
    }

    private void close(TrackedConnection connection, String why) {
        open.remove(connection);
        guard.countEvicted(); // before the close, so whoever sees the connection end also sees it counted
        connection.closeQuietly();
        log.debug("{}: closed a connection from {}: {}", name, connection.remoteAddress(), why);
    }
}
