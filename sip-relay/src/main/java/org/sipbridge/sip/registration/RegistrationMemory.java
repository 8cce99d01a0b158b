package org.sipbridge.sip.registration;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.message.Request;

/**
 * The phone's last accepted REGISTER per address-of-record, and the contacts the PBX holds for it.
 * It outlives one run of the SIP relay, so a relay restarted on a new VPN address can renew the
 * registration at once (and remove the old contacts) instead of waiting for the phone's next refresh.
 */
public final class RegistrationMemory {

    /** A REGISTER the PBX accepted, and the bridge contacts (with sbid tokens) it then held. */
    public record Remembered(Request phoneRequest, List<String> bridgeContacts) {

        public Remembered {
            bridgeContacts = List.copyOf(bridgeContacts);
        }
    }

    private final Map<String, Remembered> byAor = new ConcurrentHashMap<>();

    void remember(String aor, Request phoneRequest, List<String> bridgeContacts) {
        if (bridgeContacts.isEmpty()) {
            byAor.remove(aor);
        } else {
            byAor.put(aor, new Remembered((Request) phoneRequest.clone(), bridgeContacts));
        }
    }

    List<Remembered> all() {
        return List.copyOf(byAor.values());
    }
}
