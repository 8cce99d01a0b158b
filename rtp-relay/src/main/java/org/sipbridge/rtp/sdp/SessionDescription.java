package org.sipbridge.rtp.sdp;

import java.util.List;

/**
 * A parsed SDP body: every line as received (without terminators) plus the positions of the few lines the
 * bridge rewrites. Rewriting replaces lines by index, so whatever the parser does not interpret (unknown
 * attributes, {@code a=crypto}, ICE, bandwidth…) survives byte for byte and in order.
 *
 * @param sessionConnectionLine index of the session-level {@code c=} line, -1 when there is none
 * @param sessionConnection     the session-level connection, or {@code null}
 */
public record SessionDescription(
        List<String> lines,
        int originLine,
        Origin origin,
        int sessionConnectionLine,
        Connection sessionConnection,
        List<MediaDescription> media) {

    public SessionDescription {
        lines = List.copyOf(lines);
        media = List.copyOf(media);
    }
}
