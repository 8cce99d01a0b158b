package org.sipbridge.rtp.sdp;

import java.net.Inet4Address;

/**
 * An RFC 3605 {@code a=rtcp:<port> [IN IP4 <address>]} attribute.
 *
 * @param line    index of the attribute in {@link SessionDescription#lines()}
 * @param address the explicit address, or {@code null} when only the port is given
 */
public record RtcpAttribute(int line, int port, Inet4Address address) {}
