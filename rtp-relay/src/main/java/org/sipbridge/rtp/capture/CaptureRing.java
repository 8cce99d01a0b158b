package org.sipbridge.rtp.capture;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The hand-off from the event loops to the capture writer: a bounded ring of preallocated slots
 * (a Vyukov-style sequence per slot), so offering a packet copies its bytes and allocates nothing,
 * takes no lock and never waits. When the writer falls behind the ring is full and the packet's
 * record is dropped and counted; the voice itself is never held up.
 */
final class CaptureRing {

    private final int mask;
    private final int slotBytes;
    private final byte[][] data;
    private final int[] length;
    private final int[] originalLength;
    private final int[] capture;
    private final long[] micros;
    private final int[] srcIp;
    private final int[] srcPort;
    private final int[] dstIp;
    private final int[] dstPort;
    private final AtomicLongArray sequence;
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private long head;

    CaptureRing(int slots, int slotBytes) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.mask = slots - 1;
        this.slotBytes = slotBytes;
        data = new byte[slots][slotBytes];
        length = new int[slots];
        originalLength = new int[slots];
        capture = new int[slots];
        micros = new long[slots];
        srcIp = new int[slots];
        srcPort = new int[slots];
        dstIp = new int[slots];
        dstPort = new int[slots];
        sequence = new AtomicLongArray(slots);
        for (int i = 0; i < slots; i++) {
            sequence.set(i, i);
        }
    }

    /** Copies the readable bytes of {@code packet} (not consuming them); false when full (counted). */
    boolean offer(int captureId, long timestampMicros, int fromIp, int fromPort, int toIp, int toPort, ByteBuf packet) {
        long position;
        int index;
        while (true) {
            position = tail.get();
            index = (int) (position & mask);
            long seq = sequence.get(index);
            if (seq == position) {
                if (tail.compareAndSet(position, position + 1)) {
                    break;
                }
            } else if (seq < position) {
                dropped.incrementAndGet();
                return false;
            }
        }
        int readable = packet.readableBytes();
        int copied = Math.min(readable, slotBytes);
        packet.getBytes(packet.readerIndex(), data[index], 0, copied);
        length[index] = copied;
        originalLength[index] = readable;
        capture[index] = captureId;
        micros[index] = timestampMicros;
        srcIp[index] = fromIp;
        srcPort[index] = fromPort;
        dstIp[index] = toIp;
        dstPort[index] = toPort;
        sequence.set(index, position + 1);
        return true;
    }

    /** What the writer sees of one taken slot; valid until the next {@link #poll}. */
    interface Reader {
        void record(
                int captureId,
                long timestampMicros,
                int srcIp,
                int srcPort,
                int dstIp,
                int dstPort,
                byte[] data,
                int length,
                int originalLength);
    }

    /** Hands the oldest record to {@code reader}; false when the ring is empty. Single consumer only. */
    boolean poll(Reader reader) {
        int index = (int) (head & mask);
        if (sequence.get(index) != head + 1) {
            return false;
        }
        reader.record(
                capture[index],
                micros[index],
                srcIp[index],
                srcPort[index],
                dstIp[index],
                dstPort[index],
                data[index],
                length[index],
                originalLength[index]);
        sequence.set(index, head + mask + 1);
        head++;
        return true;
    }

    long dropped() {
        return dropped.get();
    }
}
