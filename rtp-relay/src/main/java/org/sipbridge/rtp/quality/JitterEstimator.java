package org.sipbridge.rtp.quality;

/**
 * RFC 3550 Appendix A.8 interarrival jitter: J += (|D(i-1,i)| − J) / 16, where D is the difference of
 * relative transit times, all in RTP timestamp units. 32-bit arithmetic makes RTP timestamp wrap-around
 * harmless. Owned by one event loop thread; not thread-safe.
 */
public final class JitterEstimator {

    private boolean primed;
    private int lastTransit;
    private double jitter;

    /**
     * @param arrival      arrival time in RTP timestamp units (any fixed origin)
     * @param rtpTimestamp the packet's RTP timestamp
     */
    public void update(long arrival, int rtpTimestamp) {
        int transit = (int) arrival - rtpTimestamp;
        if (primed) {
            int d = transit - lastTransit;
            if (d < 0) {
                d = -d;
            }
            jitter += (d - jitter) / 16.0;
        }
        lastTransit = transit;
        primed = true;
    }

    /** Forget the transit baseline (new source or clock rate) and the estimate. */
    public void reset() {
        primed = false;
        jitter = 0;
    }

    /** The estimate in RTP timestamp units. */
    public double jitter() {
        return jitter;
    }
}
