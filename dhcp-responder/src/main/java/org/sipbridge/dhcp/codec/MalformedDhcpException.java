package org.sipbridge.dhcp.codec;

/**
 * A datagram that is not a well-formed DHCP message; the message says exactly what is wrong
 * ("truncated: 200 bytes, BOOTP header needs 236"). The only exception {@link DhcpDecoder} throws.
 */
public final class MalformedDhcpException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedDhcpException(String reason) {
        // No stack trace: a malformed datagram is an everyday input, not a bug in this program.
        super(reason, null, false, false);
    }
}
