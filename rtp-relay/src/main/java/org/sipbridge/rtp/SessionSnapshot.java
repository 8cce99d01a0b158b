package org.sipbridge.rtp;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.sipbridge.rtp.relay.FlowAlarm;
import org.sipbridge.rtp.relay.StreamSnapshot;

/**
 * One call's media at one instant: for the status page, {@code /api/sessions} and metrics. Immutable.
 *
 * @param id        the session's {@link org.sipbridge.contract.media.MediaSession#id()}, which the SIP call keeps;
 *                  not in the API's JSON (the Sessions page joins calls and media on the server)
 * @param ended     {@code null} while the session is active
 * @param endReason {@code null} while the session is active
 * @param streams   one per relayed m-line, in m-line order
 * @param alarm     one-way or no audio (the audio stream's alarm, else the first stream's), {@code null} if none
 */
public record SessionSnapshot(
        @JsonIgnore String id,
        String callId,
        Instant started,
        Instant ended,
        EndReason endReason,
        List<StreamSnapshot> streams,
        FlowAlarm alarm) {

    public SessionSnapshot {
        streams = List.copyOf(streams);
    }

    /** The session's alarm is its streams': the audio stream's first, as that is what a call is about. */
    public SessionSnapshot(
            String id,
            String callId,
            Instant started,
            Instant ended,
            EndReason endReason,
            List<StreamSnapshot> streams) {
        this(id, callId, started, ended, endReason, streams, alarmOf(streams));
    }

    private static FlowAlarm alarmOf(List<StreamSnapshot> streams) {
        return streams.stream()
                .filter(s -> s.alarm() != null)
                .sorted(java.util.Comparator.comparing(s -> !"audio".equals(s.media())))
                .map(StreamSnapshot::alarm)
                .findFirst()
                .orElse(null);
    }

    /** The first audio stream (what a desk phone call is about), if there is one. */
    public Optional<StreamSnapshot> audio() {
        return streams.stream().filter(s -> "audio".equals(s.media())).findFirst();
    }

    SessionSnapshot ended(Instant when, EndReason reason) {
        return new SessionSnapshot(id, callId, started, when, reason, streams, alarm);
    }
}
