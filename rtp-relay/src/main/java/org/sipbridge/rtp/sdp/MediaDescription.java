package org.sipbridge.rtp.sdp;

import java.util.List;
import java.util.Map;

/**
 * One {@code m=} section as far as the relay needs it; everything else in the section stays in
 * {@link SessionDescription#lines()} untouched.
 *
 * @param index           position among the m-lines (0-based); RFC 3264 keeps it stable across re-offers
 * @param line            index of the {@code m=} line in {@link SessionDescription#lines()}
 * @param connectionLines indexes of the section's own {@code c=} lines
 * @param connection      the section's {@code c=} or, without one, the session-level one
 * @param rtcp            the {@code a=rtcp:} attribute, or {@code null}
 * @param rtpMaps         {@code a=rtpmap} by payload type
 * @param crypto          true when {@code a=crypto} (SDES) is present; its lines pass byte for byte
 * @param direction       the media-level direction attribute, else the session-level one, else {@code sendrecv}
 */
public record MediaDescription(
        int index,
        int line,
        String media,
        int port,
        String proto,
        List<Integer> formats,
        List<Integer> connectionLines,
        Connection connection,
        RtcpAttribute rtcp,
        boolean rtcpMux,
        Map<Integer, RtpMap> rtpMaps,
        boolean crypto,
        String direction) {

    public MediaDescription {
        formats = List.copyOf(formats);
        connectionLines = List.copyOf(connectionLines);
        rtpMaps = Map.copyOf(rtpMaps);
    }

    /** RFC 3264 §5.1: port 0 means the stream is disabled (or rejected). */
    public boolean disabled() {
        return port == 0;
    }

    /** UDP-based profiles; a TCP stream ({@code TCP/BFCP}, {@code TCP/TLS/RTP/AVP}…) cannot go through a UDP relay. */
    public boolean udp() {
        return !proto.toUpperCase(java.util.Locale.ROOT).startsWith("TCP");
    }

    /** SRTP or DTLS-SRTP profiles ({@code RTP/SAVP}, {@code RTP/SAVPF}, {@code UDP/TLS/RTP/SAVP}…) or SDES keys. */
    public boolean encrypted() {
        return crypto || proto.toUpperCase(java.util.Locale.ROOT).contains("SAVP");
    }
}
