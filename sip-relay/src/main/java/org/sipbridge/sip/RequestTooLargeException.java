package org.sipbridge.sip;

import javax.sip.SipException;

/**
 * A request too large for UDP to a server that takes no SIP over TCP: sent anyway it would be split
 * into IP fragments, which VPNs and home routers often drop (RFC 3261 §18.1.1), so the bridge refuses
 * it and the caller answers the sender with 513 Message Too Large.
 */
public final class RequestTooLargeException extends SipException {

    private static final long serialVersionUID = 1L;

    public RequestTooLargeException(String message) {
        super(message);
    }
}
