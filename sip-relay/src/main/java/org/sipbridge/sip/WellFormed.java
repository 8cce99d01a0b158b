package org.sipbridge.sip;

import java.util.Optional;
import javax.sip.SipProvider;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.sipbridge.config.LogText;

/**
 * The checks a request must pass before the relay handles it. jain-sip hands over requests it
 * parsed even when it cannot keep a transaction for them (no Max-Forwards) or answer them (a Via
 * transport no listening point serves: its response path then fails with a NullPointerException);
 * such requests are dropped, not answered with 500.
 */
final class WellFormed {

    private WellFormed() {
    }

    /** What is wrong with {@code request} (escaped for the log), or empty when the relay can handle it. */
    static Optional<String> problemOf(Request request, SipProvider provider) {
        for (String name : new String[] {FromHeader.NAME, ToHeader.NAME, CallIdHeader.NAME, CSeqHeader.NAME, ViaHeader.NAME}) {
            if (request.getHeader(name) == null) {
                return Optional.of("no " + name);
            }
        }
        if (!Request.ACK.equals(request.getMethod()) && request.getHeader(MaxForwardsHeader.NAME) == null) {
            return Optional.of("no " + MaxForwardsHeader.NAME);
        }
        String cseqMethod = ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getMethod();
        if (!request.getMethod().equals(cseqMethod)) {
            return Optional.of("CSeq method " + LogText.escapeControls(String.valueOf(cseqMethod)) + " is not the request's");
        }
        String transport = ((ViaHeader) request.getHeader(ViaHeader.NAME)).getTransport();
        if (transport == null || provider.getListeningPoint(transport) == null) {
            return Optional.of("Via transport " + LogText.escapeControls(String.valueOf(transport)) + " is not served here");
        }
        return Optional.empty();
    }
}
