package org.sipbridge.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.sipbridge.contract.status.CallEvent;
import org.sipbridge.contract.status.CallStatus;
import org.sipbridge.rtp.EndReason;
import org.sipbridge.rtp.SessionSnapshot;
import org.sipbridge.rtp.quality.CallQuality;
import org.sipbridge.rtp.quality.DirectionSnapshot;
import org.sipbridge.rtp.quality.QualityWarning;
import org.sipbridge.rtp.relay.FlowAlarm;
import org.sipbridge.rtp.relay.LegSnapshot;
import org.sipbridge.rtp.relay.StreamSnapshot;
import org.sipbridge.web.Json;
import org.threeten.extra.MutableClock;

/**
 * {@code GET /api/sessions} and {@code /api/sessions/{callId}} as the Sessions page reads them: the SIP
 * relay's and the RTP relay's real records, joined by {@link CallSessions} and written by the API's own
 * {@link Json}, have every field that {@code pages/sessions.js} reads, with the values it compares.
 */
class CallSessionsJsonTest {

    private static final Instant T0 = Instant.parse("2026-12-05T01:00:00Z");

    /** What {@code pages/sessions.js} reads of a listed call ({@code mosOf} and the table). */
    static final List<String> LIST_READ_BY_THE_UI = List.of(
            "callId",
            "from",
            "to",
            "state",
            "ended",
            "durationSec",
            "media.streams[].lanToVpn.quality.mos",
            "media.streams[].vpnToLan.quality.mos");

    /** What its detail view reads of one call (header, Call card, timeline, leg and quality tables, charts). */
    static final List<String> DETAIL_READ_BY_THE_UI = List.of(
            "callId",
            "from",
            "to",
            "outgoing",
            "state",
            "ended",
            "durationSec",
            "started",
            "answered",
            "timeline[].at",
            "timeline[].from",
            "timeline[].to",
            "timeline[].message",
            "media.streams[].index",
            "media.streams[].media",
            "media.streams[].lan.bridgeRtp",
            "media.streams[].lan.announcedRtp",
            "media.streams[].lan.latchedRtp",
            "media.streams[].vpn.bridgeRtp",
            "media.streams[].vpn.announcedRtp",
            "media.streams[].vpn.latchedRtp",
            "media.streams[].lanToVpn.packets",
            "media.streams[].lanToVpn.lost",
            "media.streams[].lanToVpn.lossPercent",
            "media.streams[].lanToVpn.jitterMs",
            "media.streams[].lanToVpn.legRttMs",
            "media.streams[].lanToVpn.quality.codec",
            "media.streams[].lanToVpn.quality.rFactor",
            "media.streams[].lanToVpn.quality.mos",
            "media.streams[].lanToVpn.quality.warnings",
            "media.streams[].vpnToLan.packets",
            "media.streams[].vpnToLan.quality.warnings",
            "history[].at",
            "history[].lanToVpn.mos",
            "history[].lanToVpn.jitterMs",
            "history[].lanToVpn.lossPercent",
            "history[].lanToVpn.packets",
            "history[].vpnToLan.mos",
            "history[].vpnToLan.packets");

    private static DirectionSnapshot direction(
            long packets, double loss, double jitter, double mos, Set<QualityWarning> warnings) {
        return new DirectionSnapshot(
                packets,
                packets * 172,
                packets,
                2,
                loss,
                1,
                0,
                jitter,
                12,
                0,
                3,
                0,
                21.5,
                new CallQuality("G.711", true, 35, 88.5, mos, warnings));
    }

    private static LegSnapshot leg(String bridge, int port, String peer, int peerPort) {
        InetSocketAddress announced = new InetSocketAddress(peer, peerPort);
        return new LegSnapshot(
                new InetSocketAddress(bridge, port),
                announced,
                announced,
                new InetSocketAddress(peer, peerPort + 1),
                null,
                false,
                null);
    }

    private static SessionSnapshot media(long packets) {
        return new SessionSnapshot(
                "m1",
                "call-1@198.18.1.10",
                T0.plusMillis(200),
                T0.plusSeconds(40),
                EndReason.RELEASED,
                List.of(new StreamSnapshot(
                        0,
                        "audio",
                        leg("198.18.1.1", 16384, "198.18.1.10", 2222),
                        leg("198.19.2.1", 16386, "198.19.2.10", 40000),
                        direction(packets, 0.4, 3.2, 4.3, Set.of()),
                        direction(packets, 1.6, 31.0, 3.8, Set.of(QualityWarning.JITTER, QualityWarning.LOSS)),
                        43.0,
                        1,
                        new FlowAlarm(FlowAlarm.Problem.NOTHING_FROM_PBX, "one-way audio", "Check the PBX"))));
    }

    private static CallSessions sessions() {
        CallStatus call = new CallStatus(
                "call-1@198.18.1.10",
                "Desk 1001",
                "2000",
                true,
                "ENDED",
                T0,
                T0.plusSeconds(2),
                T0.plusSeconds(40),
                List.of(
                        new CallEvent(T0, "phone", "bridge", "INVITE (SDP)"),
                        new CallEvent(T0.plusSeconds(2), "bridge", "phone", "200 OK (SDP)")),
                "198.18.1.10",
                "m1");
        MutableClock clock = MutableClock.of(T0.plusSeconds(10), ZoneOffset.UTC);
        AtomicReference<List<SessionSnapshot>> relay = new AtomicReference<>(List.of(media(100)));
        QualityHistory history = new QualityHistory(relay::get, clock);
        history.sample();
        relay.set(List.of(media(200)));
        clock.add(Duration.ofSeconds(2));
        history.sample();
        return new CallSessions(() -> List.of(call), relay::get, clock, history);
    }

    @Test
    void aListedCallHasEveryFieldTheSessionsTableReads() throws Exception {
        JsonNode list = new ObjectMapper().readTree(Json.write(sessions().list("")));

        assertEquals(1, list.size(), list.toPrettyString());
        JsonFields.assertPresent(list.get(0), LIST_READ_BY_THE_UI);
        assertEquals(40, list.get(0).get("durationSec").longValue());
        assertTrue(list.get(0).get("timeline").isNull(), "lists, which the page polls, carry no timeline");
    }

    @Test
    void oneCallHasEveryFieldTheDetailViewReads() throws Exception {
        JsonNode detail = new ObjectMapper()
                .readTree(Json.write(sessions().get("call-1@198.18.1.10").orElseThrow()));

        JsonFields.assertPresent(detail, DETAIL_READ_BY_THE_UI);
        JsonNode stream = detail.at("/media/streams/0");
        assertEquals("198.18.1.1:16384", stream.at("/lan/bridgeRtp").asText(), "addresses are host:port text");
        assertEquals("2026-12-05T01:00:02Z", detail.get("answered").asText(), "times are ISO-8601 text");
        assertEquals("RELEASED", detail.at("/media/endReason").asText());
        assertEquals("NOTHING_FROM_PBX", detail.at("/media/alarm/problem").asText());
        assertEquals(
                Set.of("JITTER", "LOSS"),
                Set.of(
                        stream.at("/vpnToLan/quality/warnings/0").asText(),
                        stream.at("/vpnToLan/quality/warnings/1").asText()),
                "warnings are the names the page translates");
        assertEquals(2, detail.get("history").size(), "one sample per tick of the quality history");
        assertEquals(200, detail.at("/history/1/lanToVpn/packets").longValue());
    }
}
