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
import org.sipbridge.contract.network.Ipv4Subnet;

/** Small helpers for building one leg's message from the other's. */
public final class Messages {

    /** Headers that describe a hop or a transaction, never copied from one leg to the other. */
    public static final Set<String> PER_HOP = Set.of(
            "via",
            "route",
            "record-route",
            "contact",
            "call-id",
            "cseq",
            "from",
            "to",
            "max-forwards",
            "content-length",
            "path",
            "service-route");

    private Messages() {}

    /**
     * Headers whose values are signed by the phone (the digest covers the request URI); they pass
     * untouched even when they name a LAN address, or the PBX could not check them.
     */
    private static final Set<String> SIGNED = Set.of("authorization", "proxy-authorization");

    /** Copies every header of {@code from} whose (lower-case) name is not in {@code skip}. */
    public static void copyHeaders(Message from, Message to, Set<String> skip) {
        copyHeaders(from, to, skip, null);
    }

    /**
     * Copies every header of {@code from} whose (lower-case) name is not in {@code skip}, and
     * leaves out those that name an address of {@code hidden} (Call-Info, P-Preferred-Identity,
     * Alert-Info... with the phone's LAN address must not reach the PBX); null hides nothing.
     */
    public static void copyHeaders(Message from, Message to, Set<String> skip, Ipv4Subnet hidden) {
        for (Iterator<String> names = from.getHeaderNames(); names.hasNext(); ) {
            String name = names.next();
            String key = name.toLowerCase(Locale.ROOT);
            if (skip.contains(key)) {
                continue;
            }
            for (ListIterator<Header> headers = from.getHeaders(name); headers.hasNext(); ) {
                Header header = headers.next();
                if (hidden == null || SIGNED.contains(key) || !namesAddressIn(header.toString(), hidden)) {
                    to.addHeader((Header) header.clone());
                }
            }
        }
    }

    /** True when {@code text} contains an IPv4 literal of {@code subnet}. */
    public static boolean namesAddressIn(String text, Ipv4Subnet subnet) {
        return Ipv4Literals.namesAddressIn(text, subnet);
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
