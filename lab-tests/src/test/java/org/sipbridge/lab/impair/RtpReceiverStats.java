package org.sipbridge.lab.impair;

/**
 * What an ideal RTP receiver measures (RFC 3550): the A.3 expected and lost packets from the sequence
 * numbers extended across wrap-around, and the A.8 interarrival jitter from arrival times and RTP
 * timestamps. The lab's ground truth to compare the bridge's figures with. Not thread-safe.
 */
public final class RtpReceiverStats {

    private final int clockRate;
    private long received;
    private int baseSeq = -1;
    private int maxSeq;
    private boolean primed;
    private long lastTransit;
    private double jitter;

    public RtpReceiverStats(int clockRate) {
        this.clockRate = clockRate;
    }

    /** One packet with sequence number {@code seq} and RTP {@code timestamp} arrived at {@code arrivalSeconds}. */
    public void arrived(int seq, long timestamp, double arrivalSeconds) {
        received++;
        // Only forward moves extend the sequence; a late packet counts as received, not as a new maximum.
        if (baseSeq < 0) {
            baseSeq = seq;
            maxSeq = seq;
        } else {
            int delta = (short) (seq - (maxSeq & 0xffff));
            if (delta > 0) {
                maxSeq += delta;
            }
        }
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
        return baseSeq < 0 ? 0 : maxSeq - baseSeq + 1L;
    }

    public long lost() {
        return Math.max(0, expected() - received);
    }

    public double lossPercent() {
        return expected() > 0 ? 100.0 * lost() / expected() : 0;
    }

    public double jitterMs() {
        return jitter * 1000 / clockRate;
    }
}
