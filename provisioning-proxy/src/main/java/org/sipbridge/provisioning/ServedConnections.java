package org.sipbridge.provisioning;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * The phones' connections the proxy serves (for HTTPS the TLS connection Undertow reads from), so that a
 * stop can close them in a way that gives every pooled buffer back.
 *
 * <p>Why this is needed: a relay under way (Undertow's {@code Transfer}) holds one pooled buffer while the
 * phone's socket is not writable, and gives it back only in its write (or read) listener, when the next
 * write or read fails. Closing the connection fires no such event, nor does shutting the XNIO worker down
 * (it closes every socket, and XNIO skips the write-ready call on a closed conduit), so the buffer was
 * dropped. Here each connection is closed on its I/O thread and the listeners that were waiting are then
 * called once, as Undertow's own {@code WriteTimeoutStreamSinkConduit} does when it times a connection out:
 * they see the closed channel and give their buffer back. Nothing here shuts the worker down, so it works
 * the same on a worker shared with other services.
 */
final class ServedConnections {

    private final Set<StreamConnection> open = ConcurrentHashMap.newKeySet();

    /** {@code next} (Undertow's open listener), noting each connection it serves. */
    ChannelListener<StreamConnection> tracking(ChannelListener<? super StreamConnection> next) {
        return connection -> {
            // pruned here rather than by a close listener: Undertow owns the close listener, and the
            // admission limits keep this set to a few hundred at most
            open.removeIf(served -> !served.isOpen());
            open.add(connection);
            next.handleEvent(connection);
        };
    }

    /**
     * Closes every served connection on its I/O thread, calling the read and write listeners that were
     * waiting; returns true when all of that has run, false when {@code bound} passed first (a stop never
     * waits longer: nothing here waits for a phone).
     */
    boolean closeAll(Duration bound) throws InterruptedException {
        List<StreamConnection> connections = List.copyOf(open);
        open.removeAll(connections);
        CountDownLatch done = new CountDownLatch(connections.size());
        for (StreamConnection connection : connections) {
            Runnable close = () -> {
                try {
                    closeWakingWaiters(connection);
                } finally {
                    done.countDown();
                }
            };
            try {
                connection.getIoThread().execute(close);
            } catch (RejectedExecutionException e) {
                // the I/O thread is stopping (the worker is shutting down): it closes the socket itself
                done.countDown();
            }
        }
        return done.await(bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * What Undertow's write timeout does: close, then let the waiting listeners see it. On the I/O thread.
     * The listeners and whether they wait are taken before the close, which clears both.
     */
    private static void closeWakingWaiters(StreamConnection connection) {
        ConduitStreamSourceChannel source = connection.getSourceChannel();
        ConduitStreamSinkChannel sink = connection.getSinkChannel();
        ChannelListener<? super ConduitStreamSourceChannel> reader =
                source.isReadResumed() ? source.getReadListener() : null;
        ChannelListener<? super ConduitStreamSinkChannel> writer =
                sink.isWriteResumed() ? sink.getWriteListener() : null;
        IoUtils.safeClose(connection);
        ChannelListeners.invokeChannelListener(source, reader);
        ChannelListeners.invokeChannelListener(sink, writer);
    }
}
