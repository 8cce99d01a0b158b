package org.sipbridge.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sipbridge.contract.status.CallStatus;
import org.sipbridge.daemon.phones.PhoneBook;
import org.sipbridge.dhcp.PhoneSighting;
import org.sipbridge.provisioning.transfer.PhoneRequest;
import org.sipbridge.provisioning.transfer.Transfer;
import org.sipbridge.rtp.EndReason;
import org.sipbridge.rtp.SessionSnapshot;
import org.sipbridge.rtp.quality.CallQuality;
import org.sipbridge.rtp.quality.DirectionSnapshot;
import org.sipbridge.rtp.relay.StreamSnapshot;
import org.sipbridge.sip.registration.RegistrationOutcome;
import org.sipbridge.web.Json;

/**
 * {@code /api/phones} as the Status › Phones page reads it: the real phone book and call list,
 * serialised by the API's own JSON writer, checked field by field (names, types, nesting).
 */
class PhoneDirectoryTest {

    private static final Instant T0 = Instant.parse("2026-12-05T01:00:00Z");
    private static final String PHONE = "198.18.1.10";
    private final Clock clock = Clock.fixed(T0.plusSeconds(30), ZoneOffset.UTC);

    private static DirectionSnapshot direction(double loss, double jitter, double mos) {
        return new DirectionSnapshot(
                500,
                500 * 172,
                500,
                0,
                loss,
                0,
                0,
                jitter,
                0,
                0,
                0,
                0,
                null,
                new CallQuality("G.711", true, 20, 93, mos, Set.of()));
    }

    private static CallStatus call(String callId, boolean outgoing, Instant started, Instant ended, String address) {
        return new CallStatus(
                callId,
                "Desk 1001",
                "2000",
                outgoing,
                ended == null ? "ANSWERED" : "ENDED",
                started,
                started.plusSeconds(1),
                ended,
                List.of(),
                address,
                "m-" + callId);
    }

    private PhoneDirectory directory() {
        PhoneBook book = new PhoneBook(() -> 48, clock);
        book.informed(new PhoneSighting("00:04:f2:aa:bb:cc", PHONE, "Polycom-VVX450", T0, Optional.empty()));
        book.requested(new PhoneRequest(
                PHONE,
                new Transfer(
                        "GET",
                        "/3111-48400-001.sip.ld",
                        200,
                        Transfer.Direction.DOWNLOAD,
                        4096,
                        8192,
                        1000,
                        T0.plusSeconds(1),
                        Duration.ofMillis(900),
                        true)));
        book.registered(new RegistrationOutcome(
                PHONE,
                "PolycomVVX-VVX_450-UA/6.4.0",
                "sip:1001@pbx.lab",
                200,
                "OK",
                "198.18.2.2:5060",
                Optional.of(T0.plusSeconds(300)),
                false));
        book.registered(new RegistrationOutcome(
                "198.18.1.77",
                "",
                "sip:1077@pbx.lab",
                403,
                "Phone limit of this bridge reached",
                "",
                Optional.empty(),
                true));
        List<CallStatus> calls = List.of(
                call("live@phone", true, T0.plusSeconds(10), null, PHONE),
                call("old@phone", false, T0, T0.plusSeconds(5), PHONE),
                call("older@phone", false, T0.minusSeconds(100), T0.minusSeconds(90), PHONE),
                call("other@phone", true, T0, null, "198.18.1.99"));
        List<SessionSnapshot> media = List.of(
                new SessionSnapshot(
                        "m-live@phone",
                        "live@phone",
                        T0.plusSeconds(10),
                        null,
                        null,
                        List.of(new StreamSnapshot(
                                0,
                                "audio",
                                null,
                                null,
                                direction(0.5, 3.0, 4.3),
                                direction(2.0, 12.0, 3.9),
                                40.0,
                                0,
                                null))),
                new SessionSnapshot("m-old@phone", "old@phone", T0, T0.plusSeconds(5), EndReason.RELEASED, List.of()));
        CallSessions sessions = new CallSessions(() -> calls, () -> media, clock);
        return new PhoneDirectory(book, new PhoneDirectory.Sources(() -> 32, () -> 1, () -> sessions.list("")));
    }

    @Test
    void theJsonHasTheShapeThePhonesPageReads() throws Exception {
        JsonNode list = new ObjectMapper().readTree(Json.write(directory().list()));

        assertEquals(32, list.path("maxPhones").intValue(), list.toPrettyString());
        assertEquals(1, list.path("registeredPhones").intValue());
        assertEquals(1, list.path("refusedPhones").longValue());
        assertEquals("198.18.1.77", list.path("lastRefused").path("address").textValue());
        assertEquals("2026-12-05T01:00:30Z", list.path("lastRefused").path("at").textValue());

        assertEquals(2, list.path("phones").size());
        JsonNode phone = list.path("phones").path(0);
        assertEquals(PHONE, phone.path("ip").textValue());
        assertEquals("00:04:f2:aa:bb:cc", phone.path("mac").textValue());
        assertTrue(list.path("phones").path(1).path("mac").isNull(), "a phone known by address only has mac null");
        assertEquals("Polycom-VVX450", phone.path("vendorClass").textValue());
        assertEquals("Polycom-VVX450", phone.path("model").textValue());
        assertEquals("PolycomVVX-VVX_450-UA/6.4.0", phone.path("userAgent").textValue());
        assertEquals("2026-12-05T01:00:30Z", phone.path("lastSeen").textValue());
        assertTrue(phone.path("firstSeen").isTextual());
        assertEquals("2026-12-05T01:00:00Z", phone.path("lastInform").path("at").textValue());
        assertTrue(phone.path("lastInform").path("answered").booleanValue());

        JsonNode file = phone.path("files").path(0);
        assertEquals("GET", file.path("method").textValue());
        assertEquals("/3111-48400-001.sip.ld", file.path("path").textValue());
        assertEquals(200, file.path("status").intValue());
        assertEquals(4096, file.path("bytes").longValue());
        assertEquals(8192, file.path("totalBytes").longValue());
        assertEquals(false, file.path("complete").booleanValue());
        assertEquals("2026-12-05T01:00:01Z", file.path("at").textValue());
        assertEquals(900, file.path("durationMs").longValue());
        assertEquals(file, phone.path("firmware").path(0));

        JsonNode registration = phone.path("registrations").path(0);
        assertEquals("sip:1001@pbx.lab", registration.path("aor").textValue());
        assertEquals("REGISTERED", registration.path("state").textValue());
        assertEquals(200, registration.path("status").intValue());
        assertEquals("OK", registration.path("reason").textValue());
        assertEquals("198.18.2.2:5060", registration.path("server").textValue());
        assertEquals("2026-12-05T01:05:00Z", registration.path("expiresAt").textValue());
        assertTrue(registration.path("answeredAt").isTextual());
        JsonNode refused = list.path("phones").path(1).path("registrations").path(0);
        assertEquals("FAILED", refused.path("state").textValue());
        assertTrue(refused.path("expiresAt").isNull());

        // The active call, then the last ended one; another phone's call is not here.
        JsonNode calls = phone.path("calls");
        assertEquals(2, calls.size(), calls.toPrettyString());
        JsonNode live = calls.path(0);
        assertEquals("live@phone", live.path("callId").textValue());
        assertEquals("Desk 1001", live.path("from").textValue());
        assertEquals("2000", live.path("to").textValue());
        assertTrue(live.path("outgoing").booleanValue());
        assertEquals("ANSWERED", live.path("state").textValue());
        assertTrue(live.path("started").isTextual());
        assertTrue(live.path("ended").isNull());
        assertEquals(20, live.path("durationSec").longValue());
        assertEquals(3.9, live.path("quality").path("mos").doubleValue());
        assertEquals(2.0, live.path("quality").path("lossPercent").doubleValue());
        assertEquals(12.0, live.path("quality").path("jitterMs").doubleValue());
        assertEquals(40.0, live.path("quality").path("roundTripMs").doubleValue());
        assertEquals("old@phone", calls.path(1).path("callId").textValue());
        assertEquals("2026-12-05T01:00:05Z", calls.path(1).path("ended").textValue());
        assertTrue(calls.path(1).path("quality").isNull(), "no audio stream: no quality");
    }
}
