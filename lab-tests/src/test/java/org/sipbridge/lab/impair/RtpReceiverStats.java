package org.sipbridge.lab.impair;

import java.util.HashSet;
import java.util.Set;

/**
 * What an ideal RTP receiver measures, the lab's ground truth to compare the bridge's figures with:
 * RFC 3550 A.8 interarrival jitter from arrival times and RTP timestamps, and the loss over every
 * sequence number from the lowest to the highest that arrived (extended across wrap-around), late
 * packets from before the first arrival included, so nothing is lost to validation as in A.1.
 * Not thread-safe.
 */
public final class RtpReceiverStats {

    private final int clockRate;
    private final Set<Long> arrived = new HashSet<>();
    private long received;
    private long lowest;
    private long highest = -1;
    private boolean primed;
    private long lastTransit;
    private double jitter;

    public RtpReceiverStats(int clockRate) {
        this.clockRate = clockRate;
    }

    /** One packet with sequence number {@code seq} and RTP {@code timestamp} arrived at {@code arrivalSeconds}. */
    public void arrived(int seq, long timestamp, double arrivalSeconds) {
        received++;
        long extended;
        if (highest < 0) {
            extended = (1L << 16) + seq; // room below for packets that arrive late
            lowest = extended;
            highest = extended;
        } else {
            extended = highest + (short) (seq - (int) (highest & 0xffff));
            lowest = Math.min(lowest, extended);
            highest = Math.max(highest, extended);
        }
        arrived.add(extended);
        long transit = Math.round(arrivalSeconds * clockRate) - timestamp;
        if (primed) {
            jitter += (Math.abs(transit - lastTransit) - jitter) / 16.0;
        }
        lastTransit = transit;
        primed = true;
    }

    public long received() {
        return received;
    }

    public long expected() {
        return highest < 0 ? 0 : highest - lowest + 1;
    }

    public long lost() {
        return expected() - arrived.size();
    }

    public double lossPercent() {
        return expected() > 0 ? 100.0 * lost() / expected() : 0;
    }

    /** The loss among the last {@code count} sequence numbers (a receiver's range that started later). */
    public double lossPercentOfLast(long count) {
        long missing = 0;
        for (long seq = highest - count + 1; seq <= highest; seq++) {
            if (!arrived.contains(seq)) {
                missing++;
            }
        }
        return count > 0 ? 100.0 * missing / count : 0;
    }

    public double jitterMs() {
        return jitter * 1000 / clockRate;
    }
}
