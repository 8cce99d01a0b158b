package org.sipbridge.sip.registration;

import java.time.Instant;
import java.util.Optional;

/**
 * The final answer a phone got to a REGISTER, for whoever keeps the list of phones (the daemon's
 * phone book). Strings from the phone are as received; whoever logs them escapes them.
 *
 * @param deviceAddress the phone's LAN address, as the transport saw it
 * @param userAgent     its User-Agent header, or empty
 * @param aor           the address of record (the To URI)
 * @param status        the status code the phone got (the PBX's, or the bridge's own refusal)
 * @param reason        its reason phrase
 * @param server        the PBX server that answered, or empty when the bridge answered itself
 * @param expiresAt     for a 2xx, when the last of this phone's contacts for the AOR expires; empty when none is left
 * @param overPhoneLimit true when the bridge refused it because {@code bridge.maxPhones} phones were registered
 */
public record RegistrationOutcome(
        String deviceAddress,
        String userAgent,
        String aor,
        int status,
        String reason,
        String server,
        Optional<Instant> expiresAt,
        boolean overPhoneLimit) {}
