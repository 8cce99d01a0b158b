package org.sipbridge.rtp.relay;

import org.sipbridge.config.MediaSettings;

/**
 * The IP TOS bytes for a session's sockets, read from the media settings when the session starts (a
 * change applies to the next call). TOS = DSCP &lt;&lt; 2, so EF (46) is 0xB8. -1 leaves the socket's default.
 */
public record DscpMarks(int rtpTos, int rtcpTos) {

    public static final DscpMarks NONE = new DscpMarks(-1, -1);

    public static DscpMarks of(MediaSettings media) {
        return new DscpMarks(
                media.rtpQosTaggingEnabled() ? tos(media.rtpQosDscpValue()) : -1,
                media.rtcpQosTaggingEnabled() ? tos(media.rtcpQosDscpValue()) : -1);
    }

    static int tos(int dscp) {
        if (dscp < 0 || dscp > 63) {
            throw new IllegalArgumentException("DSCP must be 0..63: " + dscp);
        }
        return dscp << 2;
    }
}
