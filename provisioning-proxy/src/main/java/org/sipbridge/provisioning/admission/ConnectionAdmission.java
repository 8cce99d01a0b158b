package org.sipbridge.provisioning.admission;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;

/**
 * Decides, as each TCP connection is accepted and before a byte is read, whether one listener takes it:
 * only from the LAN subnet, at most {@link ListenerLimits#perSource()} open from one address and
 * {@link ListenerLimits#total()} in all, and not while the process is short of file descriptors.
 * A refused connection is closed at once (its descriptor is free again); an admitted one is handed to
 * {@code next} (Undertow's HTTP open listener) and counted until it closes.
 *
 * <p>Runs on the XNIO I/O threads (accepts and closes may happen on either), hence the concurrent counters.
 */
public final class ConnectionAdmission implements ChannelListener<StreamConnection> {

    /** Why a connection was refused; also the key of {@link #refused()}. */
    public enum Refusal {
        NOT_FROM_LAN("not from the LAN subnet"),
        PER_SOURCE_LIMIT("too many connections from that address"),
        TOTAL_LIMIT("too many connections in all"),
        DESCRIPTORS_LOW("the process is short of file descriptors");

        private final String text;

        Refusal(String text) {
            this.text = text;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(ConnectionAdmission.class);

    private final String listener;
    private final Predicate<InetAddress> fromLan;
    private final ListenerLimits limits;
    private final DescriptorUsage descriptors;
    private final ChannelListener<? super StreamConnection> next;
    private final Map<InetAddress, Integer> perSource = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Map<Refusal, AtomicLong> refused = new EnumMap<>(Refusal.class);

    /**
     * @param listener    for the log: "HTTP" or "HTTPS"
     * @param fromLan     whether a peer address belongs to the LAN subnet
     */
    public ConnectionAdmission(
            String listener,
            Predicate<InetAddress> fromLan,
            ListenerLimits limits,
            DescriptorUsage descriptors,
            ChannelListener<? super StreamConnection> next) {
        this.listener = listener;
        this.fromLan = fromLan;
        this.limits = limits;
        this.descriptors = descriptors;
        this.next = next;
        for (Refusal refusal : Refusal.values()) {
            refused.put(refusal, new AtomicLong());
        }
    }

    @Override
    public void handleEvent(StreamConnection connection) {
        InetSocketAddress peerAddress = connection.getPeerAddress(InetSocketAddress.class);
        InetAddress peer = peerAddress == null ? null : peerAddress.getAddress();
        Refusal refusal = admit(peer);
        if (refusal != null) {
            noteRefusal(refusal, peer);
            IoUtils.safeClose(connection);
            return;
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                release(peer);
            }
        };
        next.handleEvent(connection);
        // Undertow installs its own close listener on the connection: chain ours in front of it.
        ChannelListener<? super StreamConnection> undertows = connection.getCloseListener();
        connection.setCloseListener(closed -> {
            release.run();
            if (undertows != null) {
                ChannelListeners.invokeChannelListener(closed, undertows);
            }
        });
        if (!connection.isOpen()) {
            release.run();
        }
    }

    /** Connections open now through this listener. */
    public int open() {
        return open.get();
    }

    /** Connections refused so far, by reason. */
    public Map<Refusal, Long> refused() {
        Map<Refusal, Long> counts = new EnumMap<>(Refusal.class);
        refused.forEach((reason, count) -> counts.put(reason, count.get()));
        return counts;
    }

    /** Counts the connection in, or says why not (then nothing is counted). */
    private Refusal admit(InetAddress peer) {
        if (peer == null || !fromLan.test(peer)) {
            return Refusal.NOT_FROM_LAN;
        }
        if (descriptors.share() > limits.descriptorShare()) {
            return Refusal.DESCRIPTORS_LOW;
        }
        if (open.incrementAndGet() > limits.total()) {
            open.decrementAndGet();
            return Refusal.TOTAL_LIMIT;
        }
        if (perSource.merge(peer, 1, Integer::sum) > limits.perSource()) {
            open.decrementAndGet();
            releaseFrom(peer);
            return Refusal.PER_SOURCE_LIMIT;
        }
        return null;
    }

    private void release(InetAddress peer) {
        open.decrementAndGet();
        releaseFrom(peer);
    }

    /** Atomic per address; the entry goes when its count reaches 0, so the map holds only open peers. */
    private void releaseFrom(InetAddress peer) {
        perSource.computeIfPresent(peer, (p, count) -> count <= 1 ? null : count - 1);
    }

    /** Logs the 1st, 2nd, 4th, 8th... refusal of each kind: a flood leaves a handful of lines, not millions. */
    private void noteRefusal(Refusal refusal, InetAddress peer) {
        long count = refused.get(refusal).incrementAndGet();
        if (Long.bitCount(count) == 1) {
            log.warn(
                    "Provisioning {} listener refused a connection from {}: {} ({} refused for this reason so far;"
                            + " limits: {} per address, {} in all, {}% of file descriptors)",
                    listener,
                    peer == null ? "(unknown)" : peer.getHostAddress(),
                    refusal.text,
                    count,
                    limits.perSource(),
                    limits.total(),
                    Math.round(limits.descriptorShare() * 100));
        }
    }
}
