package org.sipbridge.rtp.relay;

import io.netty.channel.socket.DatagramPacket;

/**
 * Packets that reached a leg before its side's first SDP was known, kept as received (no copy) until it is:
 * a PBX starts sending the moment it sends its 200 or 183, and the phone the moment it sends its 200, while
 * the bridge still relays that answer (tens of ms, more on the first call after start). Without this the
 * first 1–4 packets of every call were dropped as stray (clipped audio at answer).
 *
 * <p>A fixed ring of {@link #SLOTS} preallocated slots: keeping a packet allocates nothing; when full, the
 * oldest is handed back to be dropped. Owned by the leg's event loop.
 */
final class EarlyPackets {

    /** 320 ms of 20 ms audio: more than the bridge takes to relay an answer, bounded against floods. */
    static final int SLOTS = 16;
    /** Packets older than this when the SDP comes are stale audio, not the start of the call. */
    static final long MAX_AGE_NANOS = 1_000_000_000L;

    private final DatagramPacket[] packets = new DatagramPacket[SLOTS];
    private final long[] arrivals = new long[SLOTS];
    private int oldest;
    private int count;

    boolean isEmpty() {
        return count == 0;
    }

    /** Keeps {@code packet} (ownership passes); returns the packet pushed out to make room, or {@code null}. */
    DatagramPacket keep(DatagramPacket packet, long arrivalNanos) {
        DatagramPacket pushedOut = null;
        if (count == SLOTS) {
            pushedOut = take();
        }
        int slot = (oldest + count) % SLOTS;
        packets[slot] = packet;
        arrivals[slot] = arrivalNanos;
        count++;
        return pushedOut;
    }

    /** When the oldest kept packet arrived; only while not empty. */
    long oldestArrival() {
        return arrivals[oldest];
    }

    /** Removes and returns the oldest kept packet (ownership passes), {@code null} when empty. */
    DatagramPacket take() {
        if (count == 0) {
            return null;
        }
        DatagramPacket packet = packets[oldest];
        packets[oldest] = null;
        oldest = (oldest + 1) % SLOTS;
        count--;
        return packet;
    }
}
