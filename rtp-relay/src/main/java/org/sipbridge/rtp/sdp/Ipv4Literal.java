package org.sipbridge.rtp.sdp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Dotted-quad IPv4 parsing without DNS: SDP is parsed on signalling threads that must never resolve names. */
public final class Ipv4Literal {

    private Ipv4Literal() {}

    /** The address, or {@code null} when {@code text} is not exactly four decimal octets. */
    public static Inet4Address parse(String text) {
        byte[] octets = new byte[4];
        int octet = 0;
        int value = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (value > 255) {
                    return null;
                }
            } else if (c == '.' && value >= 0 && octet < 3) {
                octets[octet++] = (byte) value;
                value = -1;
            } else {
                return null;
            }
        }
        if (octet != 3 || value < 0) {
            return null;
        }
        octets[3] = (byte) value;
        try {
            return (Inet4Address) InetAddress.getByAddress(octets);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }
}
