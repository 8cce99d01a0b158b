package org.sipbridge.config;

/** Configuration › Media: RTP ports, DSCP marks and diagnostic captures. */
public record MediaSettings(
        boolean rtpQosTaggingEnabled,
        int rtpQosDscpValue,
        boolean rtcpQosTaggingEnabled,
        int rtcpQosDscpValue,
        String rtpPortRange,
        boolean rtpDiagnosticCaptureEnabled,
        CaptureCipherSuite rtpDiagnosticCaptureCipherSuite) {

    /** Expedited Forwarding: the class voice media gets on every managed network. */
    public static final int DSCP_EF = 46;

    public static MediaSettings defaults() {
        return new MediaSettings(true, DSCP_EF, true, DSCP_EF, "16384-32767", false, CaptureCipherSuite.NULL_NULL);
    }

    /** The port range; only call on a validated config. */
    public PortRange rtpPorts() {
        return PortRange.parse(rtpPortRange);
    }
}
