package org.sipbridge.config;

/**
 * Configuration › Media: RTP ports, DSCP marks, diagnostic captures, the limits that keep one caller
 * from hoarding ports ({@code maxStreamsPerCall}, {@code holdTimeoutSec}) and whether the PBX side's media
 * may come from another address of the PBX's networks than its SDP says ({@code vpnSourceLearning}).
 */
public record MediaSettings(
        boolean rtpQosTaggingEnabled,
        int rtpQosDscpValue,
        boolean rtcpQosTaggingEnabled,
        int rtcpQosDscpValue,
        String rtpPortRange,
        boolean rtpDiagnosticCaptureEnabled,
        CaptureCipherSuite rtpDiagnosticCaptureCipherSuite,
        int maxStreamsPerCall,
        int holdTimeoutSec,
        boolean vpnSourceLearning) {

    /** Expedited Forwarding: the class voice media gets on every managed network. */
    public static final int DSCP_EF = 46;
    /** Audio and video with room for one more; each relayed stream costs four ports. */
    public static final int DEFAULT_MAX_STREAMS_PER_CALL = 4;
    /** Two hours: longer than any real hold, short enough that parked ports come back the same day. */
    public static final int DEFAULT_HOLD_TIMEOUT_SEC = 7200;

    public static MediaSettings defaults() {
        return new MediaSettings(
                true,
                DSCP_EF,
                true,
                DSCP_EF,
                "16384-32767",
                false,
                CaptureCipherSuite.NULL_NULL,
                DEFAULT_MAX_STREAMS_PER_CALL,
                DEFAULT_HOLD_TIMEOUT_SEC,
                true);
    }

    /** The port range; only call on a validated config. */
    public PortRange rtpPorts() {
        return PortRange.parse(rtpPortRange);
    }
}
