package org.sipbridge.sip;

import java.util.Iterator;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Set;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.Header;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;

/** Small helpers for building one leg's message from the other's. */
public final class Messages {

    /** Headers that describe a hop or a transaction, never copied from one leg to the other. */
    public static final Set<String> PER_HOP = Set.of("via", "route", "record-route", "contact", "call-id", "cseq",
            "from", "to", "max-forwards", "content-length", "path", "service-route");

    private Messages() {
    }

    /** Copies every header of {@code from} whose (lower-case) name is not in {@code skip}. */
    public static void copyHeaders(Message from, Message to, Set<String> skip) {
        for (Iterator<String> names = from.getHeaderNames(); names.hasNext(); ) {
            String name = names.next();
            if (skip.contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            for (ListIterator<Header> headers = from.getHeaders(name); headers.hasNext(); ) {
                to.addHeader((Header) headers.next().clone());
            }
        }
    }

    /** The user part of a SIP URI, or "" for other URIs. */
    public static String user(URI uri) {
        return uri instanceof SipURI sip && sip.getUser() != null ? sip.getUser() : "";
    }

    /** The Max-Forwards a forwarded request gets: one less, or -1 when the request must not go on. */
    public static int nextMaxForwards(Request request) {
        MaxForwardsHeader header = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        if (header == null) {
            return 70;
        }
        return header.getMaxForwards() <= 0 ? -1 : header.getMaxForwards() - 1;
    }
}
