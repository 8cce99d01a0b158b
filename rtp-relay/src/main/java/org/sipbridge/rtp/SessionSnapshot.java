package org.sipbridge.rtp;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.sipbridge.rtp.relay.StreamSnapshot;

/**
 * One call's media at one instant: for the status page, {@code /api/sessions} and metrics. Immutable.
 *
 * @param ended     {@code null} while the session is active
 * @param endReason {@code null} while the session is active
 * @param streams   one per relayed m-line, in m-line order
 */
public record SessionSnapshot(String callId, Instant started, Instant ended, EndReason endReason,
                              List<StreamSnapshot> streams) {

    public SessionSnapshot {
        streams = List.copyOf(streams);
    }

    /** The first audio stream (what a desk phone call is about), if there is one. */
    public Optional<StreamSnapshot> audio() {
        return streams.stream().filter(s -> "audio".equals(s.media())).findFirst();
    }

    SessionSnapshot ended(Instant when, EndReason reason) {
        return new SessionSnapshot(callId, started, when, reason, streams);
    }
}
