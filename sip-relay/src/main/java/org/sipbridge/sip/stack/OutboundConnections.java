package org.sipbridge.sip.stack;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP connections the stack opened itself (to send a request, or a response whose connection
 * was gone). jain-sip caches them for as long as the peer keeps them open, and nothing else ever
 * closes them, so a peer that accepts and stays silent would hold a descriptor and a reader thread
 * of the bridge for ever. The sweep closes those that have received no byte for the idle timeout,
 * whatever their address: a connection that carries traffic (a server answering the bridge's
 * requests and OPTIONS probes) is never idle that long, and the bridge opens a new one when it next
 * has something to send. At most {@link ConnectionLimits#perSource()} per remote address.
 * Threads: jain-sip's sending threads add, the relay's timer thread sweeps; both hold this
 * object's lock.
 */
final class OutboundConnections {

    private static final Logger log = LoggerFactory.getLogger(OutboundConnections.class);

    private final ConnectionGuard guard;
    private final List<TrackedConnection> open = new ArrayList<>();

    OutboundConnections(ConnectionGuard guard) {
        this.guard = guard;
    }

    /**
     * Takes {@code connection} under the sweep. When its address then holds more than
     * {@link ConnectionLimits#perSource()} of them, the idlest other one of that address is closed:
     * a peer that makes the bridge connect back to it (a request over TCP whose connection it closes
     * before the answer: jain-sip reconnects to the Via's port) holds at most that many at once. A
     * server or phone needs one per port the bridge sends to.
     */
    synchronized void add(TrackedConnection connection) {
        open.removeIf(TrackedConnection::isClosed);
        open.add(connection);
        String address = connection.remoteAddress();
        List<TrackedConnection> same =
                open.stream().filter(c -> c.remoteAddress().equals(address)).toList();
        if (same.size() > guard.limits().perSource()) {
            same.stream()
                    .filter(c -> c != connection)
                    .min(Comparator.comparingLong(TrackedConnection::lastActivity))
                    .ifPresent(idlest ->
                            close(idlest, "more than " + guard.limits().perSource() + " to its address"));
        }
    }

    /** Closes the connections that received no byte for longer than the idle timeout. */
    synchronized void sweep(long now) {
        open.removeIf(TrackedConnection::isClosed);
        long idleTimeout = guard.limits().idleTimeout().toNanos();
        for (TrackedConnection connection : List.copyOf(open)) {
            if (now - connection.lastActivity() > idleTimeout) {
                close(
                        connection,
                        "nothing received for " + guard.limits().idleTimeout().toSeconds() + " s");
            }
        }
    }

    private void close(TrackedConnection connection, String why) {
        open.remove(connection);
        guard.countClosedOutbound(); // before the close, so whoever sees the connection end also sees it counted
        connection.closeQuietly();
        log.debug("Closed the bridge's connection to {}: {}", connection.remoteAddress(), why);
    }

    /** Connections open now. */
    synchronized int size() {
        open.removeIf(TrackedConnection::isClosed);
        return open.size();
    }
}
