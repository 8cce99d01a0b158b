package org.sipbridge.daemon;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.sipbridge.contract.api.QualitySample;
import org.sipbridge.contract.api.QualitySample.Point;
import org.sipbridge.rtp.SessionSnapshot;
import org.sipbridge.rtp.quality.DirectionSnapshot;
import org.sipbridge.rtp.relay.StreamSnapshot;

/**
 * The quality of each call over its life, for the chart of the session detail: every {@link #INTERVAL_MS}
 * the RTP relay's event loop calls {@link #sample} (see {@link MediaFeature#sampleSessionsWith}), which
 * records the session snapshots (packets, loss, jitter, RTT, MOS per direction of the audio stream). On
 * that loop the snapshots are taken in place: no thread of its own, no waiting on the loop. Bounded: the last {@link #MAX_SAMPLES} samples per call, only calls the relay still
 * reports (active or recently ended), at most {@link #MAX_CALLS} of them.
 */
final class QualityHistory {

    static final long INTERVAL_MS = 2000;
    /** 30 minutes at one sample every 2 s; older samples of longer calls are dropped. */
    static final int MAX_SAMPLES = 900;

    static final int MAX_CALLS = 64;

    private static Point point(DirectionSnapshot direction, Double roundTripMs) {
        return new Point(
                direction.packets(),
                direction.lossPercent(),
                direction.jitterMs(),
                roundTripMs,
                direction.quality() == null ? null : direction.quality().mos());
    }

    private final Supplier<List<SessionSnapshot>> sessions;
    private final Clock clock;
    /** Guarded by {@code this}; insertion order = the order calls were first seen. */
    private final Map<String, ArrayDeque<QualitySample>> byCall = new LinkedHashMap<>();

    QualityHistory(Supplier<List<SessionSnapshot>> sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    /** Takes one sample of every session the relay reports, and forgets the calls it no longer reports. */
    synchronized void sample() {
        Instant now = clock.instant();
        Set<String> seen = new HashSet<>();
        for (SessionSnapshot session : sessions.get()) {
            String key = session.id();
            seen.add(key);
            StreamSnapshot audio = session.audio().orElse(null);
            ArrayDeque<QualitySample> samples = byCall.get(key);
            boolean endedAndRecorded = session.ended() != null
                    && samples != null
                    && !samples.isEmpty()
                    && samples.peekLast().at().isAfter(session.ended());
            if (audio == null || endedAndRecorded) {
                continue;
            }
            if (samples == null) {
                samples = new ArrayDeque<>();
                byCall.put(key, samples);
            }
            samples.addLast(new QualitySample(
                    now, point(audio.lanToVpn(), audio.roundTripMs()), point(audio.vpnToLan(), audio.roundTripMs())));
            while (samples.size() > MAX_SAMPLES) {
                samples.removeFirst();
            }
        }
        byCall.keySet().retainAll(seen);
        for (Iterator<String> eldest = byCall.keySet().iterator(); byCall.size() > MAX_CALLS; ) {
            eldest.next();
            eldest.remove();
        }
    }

    /** The samples of one media session, oldest first. */
    synchronized List<QualitySample> of(SessionSnapshot session) {
        ArrayDeque<QualitySample> samples = byCall.get(session.id());
        return samples == null ? List.of() : List.copyOf(samples);
    }
}
