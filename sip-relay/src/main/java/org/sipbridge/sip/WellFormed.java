package org.sipbridge.sip;

import gov.nist.javax.sip.address.AddressImpl;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderAddress;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipbridge.contract.LogText;

/**
 * The checks a request must pass before the relay handles it. jain-sip answers what it cannot parse
 * (400) itself, but hands over requests it parsed even when it cannot keep a transaction for them
 * (no Max-Forwards) or answer them (a Via transport no listening point serves: its response path
 * then fails with a NullPointerException); such requests are dropped, not answered with 500. What
 * jain-sip parses leniently but the bridge must not relay (RFC 4475 §3.1.2) is refused with the
 * answer RFC 3261 gives for it.
 */
final class WellFormed {

    /** What is wrong (escaped for the log), and the answer: a status, or 0 to drop the request. */
    record Problem(String reason, int status, String phrase) {

        static Problem drop(String reason) {
            return new Problem(reason, 0, null);
        }

        static Problem badRequest(String reason) {
            return new Problem(reason, Response.BAD_REQUEST, "Bad Request (" + reason + ")");
        }
    }

    /** Headers whose URI must be in <> when it has headers (RFC 3261 §20). */
    private static final Set<String> HEADERS_WITH_ADDRESSES =
            Set.of(FromHeader.NAME, ToHeader.NAME, ContactHeader.NAME);

    private WellFormed() {}

    /** What is wrong with {@code request}, or empty when the relay can handle it. */
    static Optional<Problem> problemOf(Request request, SipProvider provider) {
        for (String name :
                new String[] {FromHeader.NAME, ToHeader.NAME, CallIdHeader.NAME, CSeqHeader.NAME, ViaHeader.NAME}) {
            if (request.getHeader(name) == null) {
                return Optional.of(Problem.drop("no " + name));
            }
        }
        if (!Request.ACK.equals(request.getMethod()) && request.getHeader(MaxForwardsHeader.NAME) == null) {
            return Optional.of(Problem.drop("no " + MaxForwardsHeader.NAME));
        }
        String cseqMethod = ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getMethod();
        if (!request.getMethod().equals(cseqMethod)) {
            return Optional.of(Problem.drop(
                    "CSeq method " + LogText.escapeControls(String.valueOf(cseqMethod)) + " is not the request's"));
        }
        String transport = ((ViaHeader) request.getHeader(ViaHeader.NAME)).getTransport();
        if (transport == null || provider.getListeningPoint(transport) == null) {
            return Optional.of(Problem.drop(
                    "Via transport " + LogText.escapeControls(String.valueOf(transport)) + " is not served here"));
        }
        return protocolProblem(request);
    }

    /** What RFC 3261 forbids in a request that jain-sip still parses. */
    private static Optional<Problem> protocolProblem(Request request) {
        // jain-sip reads any Request-Line as SIP/2.0; the sender's version shows in its own Via.
        String version = ((ViaHeader) request.getHeader(ViaHeader.NAME)).getProtocol();
        if (!"SIP/2.0".equalsIgnoreCase(request.getSIPVersion()) || !"SIP/2.0".equalsIgnoreCase(version)) {
            // RFC 3261 §21.5.6 / RFC 4475 §3.1.2.16: relaying it would turn it into SIP/2.0.
            return Optional.of(new Problem(
                    "version " + LogText.escapeControls(String.valueOf(version)),
                    Response.VERSION_NOT_SUPPORTED,
                    "Version Not Supported"));
        }
        if (request.getRequestURI() instanceof SipURI uri
                && uri.getHeaderNames() != null
                && uri.getHeaderNames().hasNext()) {
            // RFC 3261 §19.1.5 / RFC 4475 §3.1.2.11: never relayed, and never turned into headers.
            return Optional.of(Problem.badRequest("headers in the Request-URI"));
        }
        for (String name : HEADERS_WITH_ADDRESSES) {
            for (ListIterator<?> it = request.getHeaders(name); it.hasNext(); ) {
                if (it.next() instanceof HeaderAddress header && headersOutsideBrackets(header.getAddress())) {
                    // RFC 3261 §20 / RFC 4475 §3.1.2.13: a URI with headers must be in <>.
                    return Optional.of(Problem.badRequest(name + " URI with headers not in <>"));
                }
            }
        }
        if (!request.getMethod().equals(request.getMethod().toUpperCase(Locale.ROOT))) {
            // Methods are case-sensitive (RFC 3261 §7.1), but jain-sip writes every CSeq method in
            // upper case: relayed, "Foo" would arrive with "CSeq: 1 FOO", a request any element
            // refuses (RFC 4475 §3.1.2.17). Unknown methods get 501 at a UA (RFC 4475 §3.1.1.2).
            return Optional.of(
                    new Problem("method with lower-case letters", Response.NOT_IMPLEMENTED, "Not Implemented"));
        }
        return Optional.empty();
    }

    private static boolean headersOutsideBrackets(Address address) {
        return address instanceof AddressImpl parsed
                && parsed.getAddressType() == AddressImpl.ADDRESS_SPEC
                && parsed.getURI() instanceof SipURI uri
                && uri.getHeaderNames() != null
                && uri.getHeaderNames().hasNext();
    }
}
