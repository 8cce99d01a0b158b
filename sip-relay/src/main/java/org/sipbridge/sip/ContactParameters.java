package org.sipbridge.sip;

import gov.nist.core.NameValue;
import gov.nist.javax.sip.header.ParametersHeader;
import javax.sip.header.ContactHeader;
import javax.sip.message.Message;
import org.sipbridge.contract.network.Ipv4Subnet;

/**
 * The Contact header parameters of one leg carried to the Contact the bridge puts on the other
 * (expires, q, +sip.instance, reg-id, pub-gruu, temp-gruu, feature tags, unknown ones). The bridge
 * owns the Contact URI, never these parameters, so they go as they came, quoting included:
 * jain-sip's {@code getParameter}/{@code setParameter} pair drops the quotes of
 * {@code +sip.instance="<urn:uuid:…>"}, which breaks RFC 5626 and RFC 5627 (GRUU). A parameter
 * that names an address of the hidden subnet is left out (topology hiding).
 */
public final class ContactParameters {

    private ContactParameters() {}

    /**
     * Adds to {@code onto} every parameter of {@code from} (null: none), except those naming an
     * address of {@code hidden} (null hides nothing); returns {@code onto}.
     */
    public static ContactHeader copy(ContactHeader from, ContactHeader onto, Ipv4Subnet hidden) {
        if (!(from instanceof ParametersHeader source) || !(onto instanceof ParametersHeader target)) {
            return onto;
        }
        for (NameValue parameter : source.getParameters().values()) {
            if (hidden == null || !Messages.namesAddressIn(parameter.encode(), hidden)) {
                target.setParameter((NameValue) parameter.clone());
            }
        }
        return onto;
    }

    /** {@link #copy} from the first Contact of {@code source}, for the single Contact of dialog messages. */
    public static ContactHeader copyFirst(Message source, ContactHeader onto, Ipv4Subnet hidden) {
        return copy((ContactHeader) source.getHeader(ContactHeader.NAME), onto, hidden);
    }
}
