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
import org.sipbridge.contract.api.CallSession;
import org.sipbridge.contract.api.CallSessionDetail;
import org.sipbridge.contract.status.CallStatus;
import org.sipbridge.rtp.ApiMedia;
import org.sipbridge.rtp.SessionSnapshot;
import org.sipbridge.web.Sessions;

/**
 * {@code /api/sessions}: each call as the SIP relay knows it (who, which way, state, times) joined
 * with its media as the RTP relay measures it (per-direction packets, loss, jitter, RTT, MOS).
 */
final class CallSessions implements Sessions {

    /** A call with the media session it was joined to (null when none), which its quality history is kept by. */
    private record Joined(CallSession session, SessionSnapshot media) {}

    private final Supplier<List<CallStatus>> calls;
    private final Supplier<List<SessionSnapshot>> media;
    private final Clock clock;
    private final QualityHistory history;

    CallSessions(Supplier<List<CallStatus>> calls, Supplier<List<SessionSnapshot>> media, Clock clock) {
        this(calls, media, clock, new QualityHistory(List::of, clock));
    }

    CallSessions(
            Supplier<List<CallStatus>> calls,
            Supplier<List<SessionSnapshot>> media,
            Clock clock,
            QualityHistory history) {
        this.calls = calls;
        this.media = media;
        this.clock = clock;
        this.history = history;
    }

    @Override
    public List<CallSession> list(String filter) {
        return sessions(filter, false).stream().map(Joined::session).toList();
    }

    private List<Joined> sessions(String filter, boolean withTimeline) {
        String needle = filter.toLowerCase(Locale.ROOT);
        // By the id the call keeps: a Call-ID can have several media sessions (attempts, or a phone reusing it).
        Map<String, SessionSnapshot> byId = new HashMap<>();
        for (SessionSnapshot snapshot : media.get()) {
            byId.put(snapshot.id(), snapshot);
        }
        List<Joined> sessions = new ArrayList<>();
        for (CallStatus call : calls.get()) {
            if (needle.isEmpty()
                    || call.callId().toLowerCase(Locale.ROOT).contains(needle)
                    || call.from().toLowerCase(Locale.ROOT).contains(needle)
                    || call.to().toLowerCase(Locale.ROOT).contains(needle)) {
                Instant until = call.ended() != null ? call.ended() : clock.instant();
                SessionSnapshot media = call.mediaId() == null ? null : byId.get(call.mediaId());
                sessions.add(new Joined(
                        new CallSession(
                                call.callId(),
                                call.from(),
                                call.to(),
                                call.outgoing(),
                                call.state(),
                                call.started(),
                                call.answered(),
                                call.ended(),
                                Duration.between(call.started(), until).toSeconds(),
                                ApiMedia.of(media),
                                withTimeline ? call.timeline() : null,
                                call.phoneAddress()),
                        media));
            }
        }
        return sessions;
    }

    @Override
    public Optional<CallSessionDetail> get(String callId) {
        return sessions("", true).stream()
                .filter(j -> j.session().callId().equals(callId))
                .findFirst()
                .map(j -> new CallSessionDetail(j.session(), j.media() == null ? List.of() : history.of(j.media())));
    }
}
