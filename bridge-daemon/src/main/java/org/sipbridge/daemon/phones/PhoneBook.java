package org.sipbridge.daemon.phones;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sipbridge.dhcp.PhoneSighting;
import org.sipbridge.provisioning.transfer.PhoneRequest;
import org.sipbridge.provisioning.transfer.Transfer;
import org.sipbridge.sip.registration.RegistrationOutcome;
import org.sipbridge.web.PhoneList;

/**
 * Every phone the bridge has seen, from what the DHCP responder, the provisioning proxy and the SIP
 * relay report: one entry per phone, by MAC when known (a DHCPINFORM, or a provisioning file named
 * after the MAC), else by LAN address; an address-only entry takes the MAC when one arrives for its
 * address, and later events by address go to the phone seen last at that address.
 *
 * <p>Bounded, as anyone on the LAN can make events: at most {@code capacity} phones (the least
 * recently seen is forgotten first), 20 file requests and 8 registrations per phone, strings cut at
 * 256 characters. Thread-safe: the reporting threads (DHCP event loop, HTTP I/O threads, SIP stack)
 * and readers take the one lock for a few list operations; nothing blocks under it.
 */
public final class PhoneBook {

    /** Phones kept beyond {@code bridge.maxPhones}: room for refused or unregistered devices and a browser or two. */
    public static final int MARGIN = 16;

    static final int MAX_FILES = 20;
    static final int MAX_REGISTRATIONS = 8;
    private static final int MAX_TEXT = 256;
    /** A file named after a MAC: {@code 0004f2aabbcc.cfg}, {@code 0004f2aabbcc-phone.cfg}, {@code 0004F2AABBCC-app.log}. */
    private static final Pattern MAC_FILE = Pattern.compile("([0-9a-fA-F]{12})(?:[-_.][^/]*)?");

    private static final String NO_MAC = "000000000000";
    /** Firmware images as phone vendors name them (Polycom .ld, Yealink .rom, Cisco .loads/.sbn, others .bin/.img/.zip). */
    private static final List<String> FIRMWARE = List.of(".ld", ".rom", ".bin", ".img", ".sbn", ".loads", ".zip");

    private final IntSupplier capacity;
    private final Clock clock;
    /** Guarded by this. */
    private final List<Entry> entries = new ArrayList<>();
    /** New phones refused by {@code bridge.maxPhones}; kept here so the count survives restarts of the SIP relay. Guarded by this. */
    private long refusedPhones;

    private PhoneList.Refusal lastRefusal;

    public PhoneBook(IntSupplier capacity, Clock clock) {
        this.capacity = capacity;
        this.clock = clock;
    }

    /** A DHCPINFORM (the DHCP responder's event-loop thread). */
    public synchronized void informed(PhoneSighting sighting) {
        Entry entry = byMac(sighting.mac().toLowerCase(Locale.ROOT), sighting.clientAddress());
        entry.seen(sighting.clientAddress(), sighting.seenAt());
        entry.vendorClass = cut(sighting.vendorClass());
        entry.lastInform = new PhoneList.Inform(sighting.seenAt(), sighting.answered());
    }

    /** A finished provisioning request (an HTTP I/O thread). */
    public synchronized void requested(PhoneRequest request) {
        Transfer transfer = request.transfer();
        Entry entry = macInPath(transfer.path())
                .map(mac -> byMac(mac, request.clientAddress()))
                .orElseGet(() -> byAddress(request.clientAddress()));
        entry.seen(request.clientAddress(), clock.instant());
        entry.files.addFirst(new PhoneList.FileRequest(
                transfer.method(),
                cut(transfer.path()),
                transfer.status(),
                transfer.bytes(),
                transfer.totalBytes(),
                !transfer.incomplete(),
                transfer.startedAt(),
                transfer.duration().toMillis()));
        while (entry.files.size() > MAX_FILES) {
            entry.files.removeLast();
        }
    }

    /** The final answer to a phone's REGISTER (a SIP stack thread). */
    public synchronized void registered(RegistrationOutcome outcome) {
        Instant now = clock.instant();
        if (outcome.overPhoneLimit()) {
            refusedPhones++;
            lastRefusal = new PhoneList.Refusal(cut(outcome.deviceAddress()), now);
        }
        Entry entry = byAddress(outcome.deviceAddress());
        entry.seen(outcome.deviceAddress(), now);
        if (!outcome.userAgent().isBlank()) {
            entry.userAgent = cut(outcome.userAgent());
        }
        String aor = cut(outcome.aor());
        entry.registrations.remove(aor);
        entry.registrations.put(
                aor,
                new Answer(outcome.status(), cut(outcome.reason()), cut(outcome.server()), outcome.expiresAt(), now));
        if (entry.registrations.size() > MAX_REGISTRATIONS) {
            entry.registrations.remove(entry.registrations.keySet().iterator().next());
        }
    }

    /** Every phone, most recently seen first, with the calls {@code callsByAddress} holds for its address. */
    public synchronized List<PhoneList.Phone> phones(Map<String, List<PhoneList.Call>> callsByAddress) {
        Instant now = clock.instant();
        return entries.stream()
                .sorted(Comparator.comparing((Entry e) -> e.lastSeen).reversed())
                .map(e -> e.phone(now, callsByAddress.getOrDefault(e.ip, List.of())))
                .toList();
    }

    /** New phones' REGISTERs refused by {@code bridge.maxPhones} since the daemon started. */
    public synchronized long refusedPhones() {
        return refusedPhones;
    }

    public synchronized Optional<PhoneList.Refusal> lastRefusal() {
        return Optional.ofNullable(lastRefusal);
    }

    public synchronized int size() {
        return entries.size();
    }

    private Entry byMac(String mac, String address) {
        for (Entry entry : entries) {
            if (mac.equals(entry.mac)) {
                return entry;
            }
        }
        Entry atAddress = lastSeenAt(address);
        if (atAddress != null && atAddress.mac == null) {
            atAddress.mac = mac;
            return atAddress;
        }
        Entry added = add(address);
        added.mac = mac;
        return added;
    }

    private Entry byAddress(String address) {
        Entry entry = lastSeenAt(address);
        return entry != null ? entry : add(address);
    }

    private Entry lastSeenAt(String address) {
        Entry found = null;
        for (Entry entry : entries) {
            if (entry.ip.equals(address) && (found == null || entry.lastSeen.isAfter(found.lastSeen))) {
                found = entry;
            }
        }
        return found;
    }

    private Entry add(String address) {
        while (entries.size() >= Math.max(1, capacity.getAsInt())) {
            entries.remove(entries.stream()
                    .min(Comparator.comparing((Entry e) -> e.lastSeen))
                    .orElseThrow());
        }
        Entry entry = new Entry(cut(address), clock.instant());
        entries.add(entry);
        return entry;
    }

    static Optional<String> macInPath(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        Matcher matcher = MAC_FILE.matcher(file);
        if (!matcher.matches() || matcher.group(1).equals(NO_MAC)) {
            return Optional.empty();
        }
        String hex = matcher.group(1).toLowerCase(Locale.ROOT);
        StringBuilder mac = new StringBuilder(17);
        for (int i = 0; i < 12; i += 2) {
            mac.append(i == 0 ? "" : ":").append(hex, i, i + 2);
        }
        return Optional.of(mac.toString());
    }

    static boolean isFirmware(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return FIRMWARE.stream().anyMatch(lower::endsWith);
    }

    private static String cut(String text) {
        return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
    }

    /** The last final answer for one address of record. */
    private record Answer(int status, String reason, String server, Optional<Instant> expiresAt, Instant at) {

        PhoneList.Registration registration(String aor, Instant now) {
            PhoneList.RegistrationState state = status >= 300
                    ? PhoneList.RegistrationState.FAILED
                    : expiresAt.isEmpty()
                            ? PhoneList.RegistrationState.UNREGISTERED
                            : expiresAt.get().isAfter(now)
                                    ? PhoneList.RegistrationState.REGISTERED
                                    : PhoneList.RegistrationState.EXPIRED;
            return new PhoneList.Registration(aor, state, status, reason, server, expiresAt, at);
        }
    }

    /** One phone while it is in the book; guarded by the book's lock. */
    private static final class Entry {
        String mac;
        String ip;
        String vendorClass = "";
        String userAgent = "";
        final Instant firstSeen;
        Instant lastSeen;
        PhoneList.Inform lastInform;
        final Deque<PhoneList.FileRequest> files = new ArrayDeque<>();
        /** By AOR, least recently answered first. */
        final Map<String, Answer> registrations = new LinkedHashMap<>();

        Entry(String ip, Instant now) {
            this.ip = ip;
            this.firstSeen = now;
            this.lastSeen = now;
        }

        void seen(String address, Instant at) {
            ip = cut(address);
            if (at.isAfter(lastSeen)) {
                lastSeen = at;
            }
        }

        PhoneList.Phone phone(Instant now, List<PhoneList.Call> calls) {
            List<PhoneList.FileRequest> all = List.copyOf(files);
            String model = !vendorClass.isBlank()
                    ? vendorClass
                    : userAgent.isBlank() ? "" : userAgent.split("\\s+")[0];
            return new PhoneList.Phone(
                    Optional.ofNullable(mac),
                    ip,
                    vendorClass,
                    userAgent,
                    model,
                    firstSeen,
                    lastSeen,
                    Optional.ofNullable(lastInform),
                    all,
                    all.stream().filter(f -> isFirmware(f.path())).toList(),
                    registrations.entrySet().stream()
                            .map(e -> e.getValue().registration(e.getKey(), now))
                            .toList(),
                    calls);
        }
    }
}
