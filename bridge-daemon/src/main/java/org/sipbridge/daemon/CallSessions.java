package org.sipbridge.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.sipbridge.config.status.CallEvent;
import org.sipbridge.config.status.CallStatus;
import org.sipbridge.rtp.SessionSnapshot;
import org.sipbridge.web.Sessions;

/**
 * {@code /api/sessions}: each call as the SIP relay knows it (who, which way, state, times) joined
 * with its media as the RTP relay measures it (per-direction packets, loss, jitter, RTT, MOS).
 */
final class CallSessions implements Sessions {

    /**
     * One call for the Sessions page. {@code media} is null when no media was set up; the SIP
     * {@code timeline} is only in the detail of one call (null in lists, which the UI polls);
     * {@code phoneAddress} is the LAN address of the call's phone.
     */
    record Session(String callId, String from, String to, boolean outgoing, String state, Instant started,
                   Instant answered, Instant ended, long durationSec, SessionSnapshot media, List<CallEvent> timeline,
                   String phoneAddress) {
    }

    private final Supplier<List<CallStatus>> calls;
    private final Supplier<List<SessionSnapshot>> media;
    private final Clock clock;
    private final QualityHistory history;

    /** One call in detail: the call, and its media quality over time ({@code history}, oldest first). */
    record Detail(@JsonUnwrapped Session session, List<QualityHistory.Sample> history) {
    }

    CallSessions(Supplier<List<CallStatus>> calls, Supplier<List<SessionSnapshot>> media, Clock clock) {
        this(calls, media, clock, new QualityHistory(List::of, clock));
    }

    CallSessions(Supplier<List<CallStatus>> calls, Supplier<List<SessionSnapshot>> media, Clock clock,
                 QualityHistory history) {
        this.calls = calls;
        this.media = media;
        this.clock = clock;
        this.history = history;
    }

    @Override
    public List<Session> list(String filter) {
        return sessions(filter, false);
    }

    private List<Session> sessions(String filter, boolean withTimeline) {
        String needle = filter.toLowerCase(Locale.ROOT);
        // By the id the call keeps: a Call-ID can have several media sessions (attempts, or a phone reusing it).
        Map<String, SessionSnapshot> byId = new HashMap<>();
        for (SessionSnapshot snapshot : media.get()) {
            byId.put(snapshot.id(), snapshot);
        }
        List<Session> sessions = new ArrayList<>();
        for (CallStatus call : calls.get()) {
            if (needle.isEmpty() || call.callId().toLowerCase(Locale.ROOT).contains(needle)
                    || call.from().toLowerCase(Locale.ROOT).contains(needle) || call.to().toLowerCase(Locale.ROOT).contains(needle)) {
                Instant until = call.ended() != null ? call.ended() : clock.instant();
                sessions.add(new Session(call.callId(), call.from(), call.to(), call.outgoing(), call.state(), call.started(),
                        call.answered(), call.ended(), Duration.between(call.started(), until).toSeconds(),
                        call.mediaId() == null ? null : byId.get(call.mediaId()),
                        withTimeline ? call.timeline() : null, call.phoneAddress()));
            }
        }
        return sessions;
    }

    @Override
    public Optional<Detail> get(String callId) {
        return sessions("", true).stream().filter(s -> s.callId().equals(callId)).findFirst()
                .map(s -> new Detail(s, s.media() == null ? List.of() : history.of(s.media())));
    }
}
