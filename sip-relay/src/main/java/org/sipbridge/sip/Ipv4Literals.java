package org.sipbridge.sip;

import org.sipbridge.contract.network.Ipv4Subnet;

/**
 * Dotted IPv4 literals in SIP text, read without regular expressions, splitting, exceptions or
 * {@code InetAddress}: the relay checks the sender of every request and every header it copies to
 * the PBX, and those checks were a visible part of its CPU per message (#19). Hand-written because
 * neither the JDK nor Guava (whose {@code InetAddresses} throws on a non-literal) offers a parse
 * that tells "no literal" cheaply.
 */
public final class Ipv4Literals {

    /** What {@link #parse} answers for text that is not a dotted IPv4 literal. */
    public static final long NONE = -1;

    private Ipv4Literals() {}

    /**
     * The address of {@code text[from, to)} as an unsigned 32-bit value when it is exactly four
     * parts of one to three digits, each at most 255, separated by dots; {@link #NONE} otherwise.
     */
    public static long parse(CharSequence text, int from, int to) {
        long address = 0;
        int parts = 0;
        int i = from;
        while (i < to && parts < 4) {
            int start = i;
            int octet = 0;
            while (i < to && i - start < 4 && isDigit(text.charAt(i))) {
                octet = octet * 10 + text.charAt(i) - '0';
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || octet > 255) {
                return NONE;
            }
            address = address << 8 | octet;
            parts++;
            if (parts < 4) {
                if (i >= to || text.charAt(i) != '.') {
                    return NONE;
                }
                i++;
            }
        }
        return parts == 4 && i == to ? address : NONE;
    }

    /** {@link #parse} of the whole text. */
    public static long parse(CharSequence text) {
        return parse(text, 0, text.length());
    }

    /** True when {@code ip} is a dotted IPv4 literal inside {@code subnet}. */
    public static boolean isIn(String ip, Ipv4Subnet subnet) {
        long address = parse(ip);
        return address != NONE && subnet.contains((int) address);
    }

    /**
     * True when {@code text} names an address of {@code subnet}: some run of digits and dots (taken
     * whole, so "1.2.3.4.5" and "11.2.3.4" never match "1.2.3.4") is an IPv4 literal inside it.
     */
    public static boolean namesAddressIn(String text, Ipv4Subnet subnet) {
        int length = text.length();
        int i = 0;
        while (i < length) {
            if (!isDigitOrDot(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < length && isDigitOrDot(text.charAt(i))) {
                i++;
            }
            long address = parse(text, start, i);
            if (address != NONE && subnet.contains((int) address)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isDigitOrDot(char c) {
        return isDigit(c) || c == '.';
    }
}
