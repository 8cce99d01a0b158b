package org.sipbridge.sip.registration;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.message.Request;
import org.sipbridge.sip.identity.Device;

/**
 * The phone's last accepted REGISTER per address-of-record, and the contacts the PBX holds for it.
 * It outlives one run of the SIP relay, so a relay restarted on a new VPN address can renew the
 * registration at once (and remove the old contacts) instead of waiting for the phone's next refresh.
 */
public final class RegistrationMemory {

    /**
     * A REGISTER the PBX accepted, the device it came from, the bridge contacts (with sbid tokens) it
     * then held, and when they expire.
     */
    public record Remembered(Request phoneRequest, Device device, List<String> bridgeContacts, Instant expiresAt) {

        public Remembered {
            bridgeContacts = List.copyOf(bridgeContacts);
        }
    }

    private final Map<String, Remembered> byAor = new ConcurrentHashMap<>();

    void remember(String aor, Request phoneRequest, Device device, List<Binding> bindings) {
        if (bindings.isEmpty()) {
            byAor.remove(aor);
        } else {
            byAor.put(
                    aor,
                    new Remembered(
                            (Request) phoneRequest.clone(),
                            device,
                            bindings.stream().map(Binding::bridgeContact).toList(),
                            bindings.stream()
                                    .map(Binding::expiresAt)
                                    .max(Instant::compareTo)
                                    .orElseThrow()));
        }
    }

    /** Registrations still live at {@code now}; one that expired is not revived (the phone may be gone). */
    List<Remembered> live(Instant now) {
        byAor.values().removeIf(r -> !r.expiresAt().isAfter(now));
        return List.copyOf(byAor.values());
    }
}
