package org.sipbridge.rtp.ports;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import org.sipbridge.config.PortRange;
import org.sipbridge.contract.media.MediaUnavailableException;

/**
 * Hands out even/odd port pairs from {@code media.rtpPortRange}. Free pairs form a FIFO queue: a released
 * pair goes to the back, so it is reused as late as possible and stale packets of the previous call have
 * drained before a new call listens on it. Thread-safe (signalling threads only; the packet path never
 * allocates ports), guarded by {@code this}.
 */
public final class PortAllocator {

    private final PortRange range;
    private final int capacity;
    /** Guarded by {@code this}. */
    private final ArrayDeque<PortPair> free = new ArrayDeque<>();
    /** Guarded by {@code this}: pairs handed out and not yet given back. */
    private final Set<PortPair> inUse = new HashSet<>();

    public PortAllocator(PortRange range) {
        this.range = range;
        int first = (range.first() & 1) == 0 ? range.first() : range.first() + 1;
        for (int rtp = first; rtp + 1 <= range.last() && rtp <= 65534; rtp += 2) {
            free.add(new PortPair(rtp));
        }
        this.capacity = free.size();
    }

    public PortRange range() {
        return range;
    }

    /** Pairs in the range (an odd first port or an even last port is left out). */
    public int capacity() {
        return capacity;
    }

    public synchronized int available() {
        return free.size();
    }

    /**
     * The pair that has been free the longest.
     *
     * @throws MediaUnavailableException when every pair is in use
     */
    public synchronized PortPair acquire() throws MediaUnavailableException {
        PortPair pair = free.pollFirst();
        if (pair == null) {
            throw new MediaUnavailableException("no free RTP ports in " + range + ": all " + capacity
                    + " RTP/RTCP pairs are in use by calls (each relayed stream takes two pairs)");
        }
        inUse.add(pair);
        return pair;
    }

    /** Gives a pair back to the end of the queue. Releasing a pair that is not in use is ignored. */
    public synchronized void release(PortPair pair) {
        if (inUse.remove(pair)) {
            free.addLast(pair);
        }
    }
}
