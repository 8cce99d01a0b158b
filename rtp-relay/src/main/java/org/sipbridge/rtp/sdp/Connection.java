package org.sipbridge.rtp.sdp;

import java.net.Inet4Address;

/**
 * A {@code c=} value ({@code IN IP4 <address>}). {@code 0.0.0.0} is the RFC 2543 way to put a call on hold:
 * the sender wants no media, so the bridge neither sends nor accepts any for that stream.
 */
public record Connection(Inet4Address address) {

    public boolean isHold() {
        return address.isAnyLocalAddress();
    }
}
