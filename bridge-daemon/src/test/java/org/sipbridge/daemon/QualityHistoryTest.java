package org.sipbridge.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sipbridge.contract.api.QualitySample;
import org.sipbridge.contract.status.CallEvent;
import org.sipbridge.contract.status.CallStatus;
import org.sipbridge.rtp.EndReason;
import org.sipbridge.rtp.SessionSnapshot;
import org.sipbridge.rtp.quality.CallQuality;
import org.sipbridge.rtp.quality.DirectionSnapshot;
import org.sipbridge.rtp.relay.StreamSnapshot;
import org.threeten.extra.MutableClock;

class QualityHistoryTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private final List<SessionSnapshot> sessions = new ArrayList<>();
    private final MutableClock clock = MutableClock.of(T0, ZoneOffset.UTC);
    private final QualityHistory history = new QualityHistory(() -> List.copyOf(sessions), clock);

    private static DirectionSnapshot direction(long packets, double jitter, double mos) {
        return new DirectionSnapshot(
                packets,
                packets * 172,
                packets,
                0,
                0.0,
                0,
                0,
                jitter,
                0,
                0,
                0,
                0,
                null,
                new CallQuality("G.711", false, 20, 93, mos, Set.of()));
    }

    private static SessionSnapshot session(String callId, long packets, Instant ended) {
        return new SessionSnapshot(
                "m-" + callId,
                callId,
                T0,
                ended,
                ended == null ? null : EndReason.RELEASED,
                List.of(new StreamSnapshot(
                        0,
                        "audio",
                        null,
                        null,
                        direction(packets, 2.5, 4.4),
                        direction(packets / 2, 7.0, 4.1),
                        30.0,
                        0,
                        null)));
    }

    private void sampleAt(long second) {
        clock.setInstant(T0.plusSeconds(second));
        history.sample();
    }

    @Test
    void samplesEachDirectionOverTheCallsLife() {
        sessions.add(session("a@b", 100, null));
        sampleAt(2);
        sessions.set(0, session("a@b", 200, null));
        sampleAt(4);
        List<QualitySample> samples = history.of(sessions.get(0));
        assertEquals(2, samples.size());
        assertEquals(T0.plusSeconds(2), samples.get(0).at());
        assertEquals(200, samples.get(1).lanToVpn().packets());
        assertEquals(100, samples.get(1).vpnToLan().packets());
        assertEquals(7.0, samples.get(1).vpnToLan().jitterMs());
        assertEquals(30.0, samples.get(1).lanToVpn().rttMs());
        assertEquals(4.1, samples.get(1).vpnToLan().mos());
    }

    @Test
    void anEndedCallGetsOneLastSampleAndIsForgottenWhenTheRelayForgetsIt() {
        sessions.add(session("a@b", 100, null));
        sampleAt(2);
        sessions.set(0, session("a@b", 150, T0.plusSeconds(3)));
        sampleAt(4);
        sampleAt(6);
        sampleAt(8);
        assertEquals(2, history.of(sessions.get(0)).size(), "nothing more after the sample following the end");
        SessionSnapshot ended = sessions.remove(0);
        sampleAt(10);
        assertEquals(List.of(), history.of(ended));
    }

    @Test
    void boundedPerCallAndInCalls() {
        sessions.add(session("long@call", 1, null));
        for (int i = 1; i <= QualityHistory.MAX_SAMPLES + 10; i++) {
            sampleAt(2L * i);
        }
        List<QualitySample> samples = history.of(sessions.get(0));
        assertEquals(QualityHistory.MAX_SAMPLES, samples.size());
        assertEquals(T0.plusSeconds(22), samples.get(0).at(), "the oldest were dropped");
        sessions.clear();
        for (int i = 0; i < QualityHistory.MAX_CALLS + 5; i++) {
            sessions.add(session("call-" + i, 1, null));
        }
        sampleAt(100_000);
        assertEquals(List.of(), history.of(sessions.get(0)), "the first calls seen give way");
        assertEquals(1, history.of(sessions.get(QualityHistory.MAX_CALLS + 4)).size());
    }

    @Test
    void theDetailCarriesTheHistoryBesideTheCallsFields() throws Exception {
        sessions.add(session("a@b", 100, null));
        sampleAt(2);
        CallSessions calls = new CallSessions(
                () -> List.of(new CallStatus(
                        "a@b",
                        "Lab Phone",
                        "2000",
                        true,
                        "ANSWERED",
                        T0,
                        T0.plusSeconds(1),
                        null,
                        List.of(new CallEvent(T0, "phone", "bridge", "INVITE (SDP)")),
                        "198.18.1.10",
                        "m-a@b")),
                () -> sessions,
                Clock.fixed(T0.plusSeconds(5), ZoneOffset.UTC),
                history);
        ObjectMapper mapper = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        JsonNode detail = mapper.valueToTree(calls.get("a@b").orElseThrow());
        assertEquals("a@b", detail.path("callId").asText(), detail.toString());
        assertEquals("Lab Phone", detail.path("from").asText());
        assertEquals(5, detail.path("durationSec").asInt());
        assertEquals(
                100,
                detail.path("history").path(0).path("lanToVpn").path("packets").asInt());
        assertTrue(detail.path("session").isMissingNode(), "unwrapped");
        assertEquals(
                "INVITE (SDP)", detail.path("timeline").path(0).path("message").asText());
        assertNull(calls.get("nope").orElse(null));
    }
}
