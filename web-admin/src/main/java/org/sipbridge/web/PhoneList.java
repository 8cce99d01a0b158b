package org.sipbridge.web;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /api/phones}: every phone the bridge has seen, and the phone limit. The contract of the
 * Status › Phones page and of docs/api.md; the daemon builds it (web-admin never reaches into a relay).
 *
 * @param maxPhones        {@code bridge.maxPhones}
 * @param registeredPhones LAN addresses with a live registration now (what the limit counts)
 * @param refusedPhones    REGISTERs of new phones refused by the limit since the SIP relay started
 * @param lastRefused      the last phone the limit refused
 * @param phones           most recently seen first
 */
public record PhoneList(
        int maxPhones, int registeredPhones, long refusedPhones, Optional<Refusal> lastRefused, List<Phone> phones) {

    public PhoneList {
        phones = List.copyOf(phones);
    }

    /** A new phone's REGISTER refused because the limit was reached. */
    public record Refusal(String address, Instant at) {}

    /**
     * One phone, by MAC when the bridge learned it (DHCPINFORM, or a provisioning file named after
     * it), else by LAN address.
     *
     * @param mac          {@code 00:04:f2:aa:bb:cc}, lower case; empty when only the address is known
     * @param ip           its LAN address as last seen
     * @param vendorClass  DHCP option 60 of its last DHCPINFORM ({@code Polycom-VVX450}), or ""
     * @param userAgent    the User-Agent of its last REGISTER, or ""
     * @param model        what the page shows: the vendor class, else the User-Agent's first token, else ""
     * @param lastInform   its last DHCPINFORM
     * @param files        provisioning requests through the proxy, newest first (at most 20)
     * @param firmware     of those, the firmware images
     * @param registrations one per address of record, as last answered
     * @param calls        its active calls, then its last ended one
     */
    public record Phone(
            Optional<String> mac,
            String ip,
            String vendorClass,
            String userAgent,
            String model,
            Instant firstSeen,
            Instant lastSeen,
            Optional<Inform> lastInform,
            List<FileRequest> files,
            List<FileRequest> firmware,
            List<Registration> registrations,
            List<Call> calls) {

        public Phone {
            files = List.copyOf(files);
            firmware = List.copyOf(firmware);
            registrations = List.copyOf(registrations);
            calls = List.copyOf(calls);
        }
    }

    /** A DHCPINFORM: when, and whether the bridge answered it with the provisioning URL. */
    public record Inform(Instant at, boolean answered) {}

    /**
     * One request through the provisioning proxy.
     *
     * @param status     the HTTP status the phone got
     * @param bytes      body bytes moved (to the phone, or from it for an upload)
     * @param totalBytes the announced size, or -1
     * @param complete   false when fewer bytes than announced were moved (a broken transfer)
     */
    public record FileRequest(
            String method,
            String path,
            int status,
            long bytes,
            long totalBytes,
            boolean complete,
            Instant at,
            long durationMs) {}

    /** What a registration's last answer means. */
    public enum RegistrationState {
        /** 2xx, and a contact of this phone is bound until {@code expiresAt}. */
        REGISTERED,
        /** 2xx, but the binding's time is up and no refresh came. */
        EXPIRED,
        /** 2xx with no contact of this phone left: it unregistered. */
        UNREGISTERED,
        /** A final error answer (the PBX's, or the bridge's own: e.g. 403 for the phone limit). */
        FAILED
    }

    /**
     * One address of record of the phone.
     *
     * @param status    the status code of the last final answer
     * @param reason    its reason phrase
     * @param server    the PBX server that answered; "" when the bridge answered itself
     * @param expiresAt while registered, when the binding ends
     * @param answeredAt when the last final answer was sent
     */
    public record Registration(
            String aor,
            RegistrationState state,
            int status,
            String reason,
            String server,
            Optional<Instant> expiresAt,
            Instant answeredAt) {}

    /**
     * A call of the phone, with its quality (the worse direction of the audio stream) once media flowed.
     *
     * @param outgoing true when the phone placed it
     */
    public record Call(
            String callId,
            String from,
            String to,
            boolean outgoing,
            String state,
            Instant started,
            Optional<Instant> ended,
            long durationSec,
            Optional<Quality> quality) {}

    /** The worse of the two directions: lowest MOS, highest loss and jitter. */
    public record Quality(double mos, double lossPercent, double jitterMs, Optional<Double> roundTripMs) {}
}
