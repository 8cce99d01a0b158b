package org.sipbridge.daemon.phones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sipbridge.dhcp.PhoneSighting;
import org.sipbridge.provisioning.transfer.PhoneRequest;
import org.sipbridge.provisioning.transfer.Transfer;
import org.sipbridge.sip.registration.RegistrationOutcome;
import org.sipbridge.web.PhoneList;
import org.threeten.extra.MutableClock;

class PhoneBookTest {

    private static final Instant T0 = Instant.parse("2026-12-05T01:00:00Z");
    private final MutableClock clock = MutableClock.of(T0, ZoneOffset.UTC);
    private int capacity = 4;
    private final PhoneBook book = new PhoneBook(() -> capacity, clock);

    static PhoneSighting inform(String mac, String ip, Instant at) {
        return new PhoneSighting(mac, ip, "Polycom-VVX450", at, Optional.empty());
    }

    static PhoneRequest request(String ip, String path, Instant at) {
        return new PhoneRequest(
                ip,
                new Transfer(
                        "GET",
                        path,
                        200,
                        Transfer.Direction.DOWNLOAD,
                        1000,
                        1000,
                        1000,
                        at,
                        Duration.ofMillis(40),
                        true));
    }

    static RegistrationOutcome registered(String ip, String aor, Instant expiresAt) {
        return new RegistrationOutcome(
                ip, "PolycomVVX-VVX_450-UA/6.4.0", aor, 200, "OK", "198.18.2.2:5060", Optional.of(expiresAt), false);
    }

    private List<PhoneList.Phone> phones() {
        return book.phones(Map.of());
    }

    private void later(long seconds) {
        clock.add(Duration.ofSeconds(seconds));
    }

    @Test
    void dhcpProvisioningAndRegistrationOfOnePhoneMakeOneEntry() {
        book.informed(inform("00:04:f2:aa:bb:cc", "198.18.1.10", clock.instant()));
        later(1);
        book.requested(request("198.18.1.10", "/0004f2aabbcc.cfg", clock.instant()));
        book.requested(request("198.18.1.10", "/000000000000.cfg", clock.instant()));
        book.requested(request("198.18.1.10", "/3111-48400-001.sip.ld", clock.instant()));
        later(1);
        book.registered(
                registered("198.18.1.10", "sip:1001@pbx.lab", clock.instant().plusSeconds(300)));

        List<PhoneList.Phone> phones = phones();
        assertEquals(1, phones.size(), phones.toString());
        PhoneList.Phone phone = phones.get(0);
        assertEquals(Optional.of("00:04:f2:aa:bb:cc"), phone.mac());
        assertEquals("Polycom-VVX450", phone.model());
        assertEquals("PolycomVVX-VVX_450-UA/6.4.0", phone.userAgent());
        assertEquals(
                List.of("/3111-48400-001.sip.ld", "/000000000000.cfg", "/0004f2aabbcc.cfg"),
                phone.files().stream().map(PhoneList.FileRequest::path).toList());
        assertEquals(
                List.of("/3111-48400-001.sip.ld"),
                phone.firmware().stream().map(PhoneList.FileRequest::path).toList());
        assertEquals(
                PhoneList.RegistrationState.REGISTERED,
                phone.registrations().get(0).state());
        assertEquals(T0, phone.lastInform().orElseThrow().at());
    }

    @Test
    void anAddressOnlyPhoneTakesTheMacThatArrivesForItsAddress() {
        book.registered(
                registered("198.18.1.11", "sip:1002@pbx.lab", clock.instant().plusSeconds(300)));
        assertEquals(Optional.empty(), phones().get(0).mac());
        later(1);
        book.requested(request("198.18.1.11", "/0004F2DDEEFF-phone.cfg", clock.instant()));

        assertEquals(1, phones().size());
        assertEquals(Optional.of("00:04:f2:dd:ee:ff"), phones().get(0).mac());
        assertEquals(1, phones().get(0).registrations().size());
    }

    @Test
    void aPhoneThatMovesToAnotherAddressStaysOnePhone() {
        book.informed(inform("00:04:f2:aa:bb:cc", "198.18.1.10", clock.instant()));
        later(10);
        book.informed(inform("00:04:f2:aa:bb:cc", "198.18.1.20", clock.instant()));
        later(1);
        book.registered(
                registered("198.18.1.20", "sip:1001@pbx.lab", clock.instant().plusSeconds(300)));

        assertEquals(1, phones().size());
        assertEquals("198.18.1.20", phones().get(0).ip());
    }

    @Test
    void registrationStatesFollowTheLastAnswerAndTheClock() {
        book.registered(
                registered("198.18.1.10", "sip:1001@pbx.lab", clock.instant().plusSeconds(60)));
        book.registered(new RegistrationOutcome(
                "198.18.1.10", "", "sip:1002@pbx.lab", 403, "Forbidden", "198.18.2.2:5060", Optional.empty(), false));
        book.registered(new RegistrationOutcome(
                "198.18.1.10", "", "sip:1003@pbx.lab", 200, "OK", "198.18.2.2:5060", Optional.empty(), false));
        later(61);

        assertEquals(
                List.of(
                        PhoneList.RegistrationState.EXPIRED,
                        PhoneList.RegistrationState.FAILED,
                        PhoneList.RegistrationState.UNREGISTERED),
                phones().get(0).registrations().stream()
                        .map(PhoneList.Registration::state)
                        .toList());
        assertEquals(
                "PolycomVVX-VVX_450-UA/6.4.0",
                phones().get(0).userAgent(),
                "a REGISTER without User-Agent keeps the last one");
    }

    @Test
    void refusalsByThePhoneLimitAreCountedAndTheLastOneKept() {
        book.registered(new RegistrationOutcome(
                "198.18.1.40",
                "",
                "sip:1040@pbx.lab",
                403,
                "Phone limit of this bridge reached",
                "",
                Optional.empty(),
                true));
        later(5);
        book.registered(new RegistrationOutcome(
                "198.18.1.41",
                "",
                "sip:1041@pbx.lab",
                403,
                "Phone limit of this bridge reached",
                "",
                Optional.empty(),
                true));
        book.registered(new RegistrationOutcome(
                "198.18.1.42", "", "sip:1042@pbx.lab", 403, "Forbidden", "", Optional.empty(), false));

        assertEquals(2, book.refusedPhones());
        assertEquals(
                new PhoneList.Refusal("198.18.1.41", clock.instant()),
                book.lastRefusal().orElseThrow());
    }

    @Test
    void theBookForgetsTheLeastRecentlySeenPhoneBeyondItsCapacity() {
        for (int i = 0; i < 100; i++) {
            book.informed(inform(String.format("00:04:f2:00:00:%02x", i), "198.18.1." + (i + 1), clock.instant()));
            later(1);
        }
        assertEquals(capacity, book.size());
        assertEquals(
                List.of("00:04:f2:00:00:63", "00:04:f2:00:00:62", "00:04:f2:00:00:61", "00:04:f2:00:00:60"),
                phones().stream().map(p -> p.mac().orElseThrow()).toList());
    }

    @Test
    void filesRegistrationsAndStringsPerPhoneAreBounded() {
        for (int i = 0; i < 50; i++) {
            book.requested(request("198.18.1.10", "/f" + i + ".cfg", clock.instant()));
            book.registered(registered(
                    "198.18.1.10", "sip:" + i + "@pbx.lab", clock.instant().plusSeconds(60)));
        }
        book.registered(new RegistrationOutcome(
                "198.18.1.10", "x".repeat(100_000), "sip:1@pbx.lab", 200, "OK", "", Optional.empty(), false));
        PhoneList.Phone phone = phones().get(0);
        assertEquals(PhoneBook.MAX_FILES, phone.files().size());
        assertEquals("/f49.cfg", phone.files().get(0).path());
        assertEquals(PhoneBook.MAX_REGISTRATIONS, phone.registrations().size());
        assertEquals(256, phone.userAgent().length());
    }

    @Test
    void concurrentReportsFromManyThreadsKeepTheBookWithinItsBounds() throws Exception {
        capacity = 36;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            pool.submit(() -> {
                for (int i = 0; i < 2000; i++) {
                    String ip = "198.18." + thread + "." + (i % 250);
                    book.informed(inform(String.format("00:04:f2:%02x:%02x:%02x", thread, i / 256, i % 256), ip, T0));
                    book.requested(request(ip, "/sip.ld", T0));
                    book.registered(registered(ip, "sip:" + i + "@pbx.lab", T0.plusSeconds(60)));
                    book.phones(Map.of());
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        assertEquals(36, book.size());
    }

    @Test
    void macsAreReadFromFileNamesThatStartWithOne() {
        assertEquals(Optional.of("00:04:f2:aa:bb:cc"), PhoneBook.macInPath("/polycom/0004f2aabbcc-app.log"));
        assertEquals(Optional.empty(), PhoneBook.macInPath("/000000000000.cfg"));
        assertEquals(Optional.empty(), PhoneBook.macInPath("/site.cfg"));
        assertEquals(Optional.empty(), PhoneBook.macInPath("/0004f2aabbcc0.cfg"));
        assertTrue(PhoneBook.isFirmware("/3111-48400-001.sip.ld"));
    }
}
