package org.sipbridge.rtp.quality;

/**
 * Round-trip times of the two legs of a call, measured at the bridge from the RTCP that passes through it
 * (RFC 3550 §6.4.1). When a sender report crosses the bridge, the bridge notes when (its own clock) under
 * the report's compact NTP timestamp; when a report block coming back names that timestamp in LSR, the
 * leg's round trip is now − noted − DLSR. This needs no clock agreement with the phone or the PBX: both
 * instants are the bridge's. A report travelling LAN→VPN (the phone's) measures the bridge↔phone leg,
 * one travelling VPN→LAN (the PBX's) the bridge↔PBX leg. Fixed-size arrays: nothing allocated per packet.
 * Owned by the stream's event loop thread; not thread-safe.
 */
public final class RoundTripMeter {

    private static final int REMEMBERED = 8;
    private static final double NANOS_PER_DLSR_UNIT = 1e9 / 65536.0;

    /** By the direction the sender report travelled. */
    private final int[][] keys = new int[2][REMEMBERED];

    private final long[][] seenAt = new long[2][REMEMBERED];
    private final boolean[][] used = new boolean[2][REMEMBERED];
    private final int[] next = new int[2];
    /** By the direction the receiver report travelled; -1 until measured. */
    private final long[] roundTripNanos = {-1, -1};

    public void senderReport(Direction travelled, int compactNtp, long nowNanos) {
        int d = travelled.ordinal();
        int slot = next[d];
        keys[d][slot] = compactNtp;
        seenAt[d][slot] = nowNanos;
        used[d][slot] = true;
        next[d] = (slot + 1) % REMEMBERED;
    }

    public void reportBlock(Direction travelled, int lastSenderReport, long delaySinceLast, long nowNanos) {
        if (lastSenderReport == 0) {
            return; // RFC 3550: 0 means no SR received yet
        }
        int sr = travelled.opposite().ordinal();
        for (int i = 0; i < REMEMBERED; i++) {
            if (used[sr][i] && keys[sr][i] == lastSenderReport) {
                long rtt = nowNanos - seenAt[sr][i] - Math.round(delaySinceLast * NANOS_PER_DLSR_UNIT);
                if (rtt >= 0) {
                    roundTripNanos[travelled.ordinal()] = rtt;
                }
                return;
            }
        }
    }

    /**
     * The last round trip measured from reports that travelled this way, -1 if none yet:
     * {@link Direction#LAN_TO_VPN} is the bridge↔phone leg, {@link Direction#VPN_TO_LAN} the bridge↔PBX leg.
     */
    public long roundTripNanos(Direction reportTravelled) {
        return roundTripNanos[reportTravelled.ordinal()];
    }
}
