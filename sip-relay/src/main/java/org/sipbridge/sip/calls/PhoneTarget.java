package org.sipbridge.sip.calls;

import java.text.ParseException;
import java.util.Optional;
import javax.sip.address.AddressFactory;
import javax.sip.message.Request;
import org.sipbridge.sip.registration.Binding;
import org.sipbridge.sip.registration.BindingTable;

/**
 * Where the bridge's requests in a dialog with the phone go. A phone that got GRUUs in the 200 of
 * its REGISTER (RFC 5627; linphone 5 does) puts one in its dialogs' Contact, so the dialog's remote
 * target becomes {@code sip:1004@sipbridge.lab;gr=urn:uuid:…}, a name that only routes through the
 * PBX's domain: jain-sip found no next hop for it, and the bridge's ACK, BYE, re-INVITE, REFER or
 * NOTIFY toward the phone never left. A proxy of the GRUU's domain retargets a request for a GRUU
 * to the contact registered under it (RFC 5627 §5.1); the bridge holds that binding, so it does
 * the same on the phone's leg.
 */
final class PhoneTarget {

    private final BindingTable bindings;
    private final AddressFactory addresses;

    PhoneTarget(BindingTable bindings, AddressFactory addresses) {
        this.bindings = bindings;
        this.addresses = addresses;
    }

    /** Retargets {@code request}, made in {@code leg}'s dialog, when the leg is the phone's and it aims at a GRUU. */
    void aim(Leg leg, Request request) {
        if (!leg.isLan()) {
            return;
        }
        Optional<Binding> binding = bindings.byGruu(request.getRequestURI());
        if (binding.isEmpty()) {
            return;
        }
        try {
            request.setRequestURI(addresses.createURI(binding.get().phoneContact()));
        } catch (ParseException e) {
            // The contact was parsed when the phone registered it; it cannot fail now.
            throw new IllegalStateException("a registered phone contact no longer parses", e);
        }
    }
}
