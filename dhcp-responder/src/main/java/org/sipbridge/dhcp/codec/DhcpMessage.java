package org.sipbridge.dhcp.codec;

import java.util.Objects;

/**
 * A decoded DHCP message (RFC 2131 §2, figure 1). Addresses are network-order ints (see {@link Ipv4});
 * {@code chaddr}, {@code sname} and {@code file} keep their full fixed widths so that a reply can copy
 * {@code chaddr} byte for byte. When a received message overloaded {@code sname} or {@code file} with
 * options, those options are in {@link #options()} and the field itself reads as zeros.
 */
public record DhcpMessage(
        BootOp op,
        int htype,
        int hlen,
        int hops,
        int xid,
        int secs,
        int flags,
        int ciaddr,
        int yiaddr,
        int siaddr,
        int giaddr,
        Octets chaddr,
        Octets sname,
        Octets file,
        DhcpOptions options) {

    public static final int CHADDR_LENGTH = 16;
    public static final int SNAME_LENGTH = 64;
    public static final int FILE_LENGTH = 128;
    /** RFC 2131 §2: the leftmost bit of {@code flags} asks the server to broadcast its reply. */
    public static final int BROADCAST_FLAG = 0x8000;

    public DhcpMessage {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(options, "options");
        requireRange("htype", htype, 255);
        requireRange("hlen", hlen, CHADDR_LENGTH);
        requireRange("hops", hops, 255);
        requireRange("secs", secs, 0xffff);
        requireRange("flags", flags, 0xffff);
        requireLength("chaddr", chaddr, CHADDR_LENGTH);
        requireLength("sname", sname, SNAME_LENGTH);
        requireLength("file", file, FILE_LENGTH);
    }

    private static void requireRange(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(field + " must be 0-" + max + " (was " + value + ")");
        }
    }

    private static void requireLength(String field, Octets value, int length) {
        Objects.requireNonNull(value, field);
        if (value.length() != length) {
            throw new IllegalArgumentException(field + " must be " + length + " bytes (was " + value.length() + ")");
        }
    }

    /** The meaningful part of {@code chaddr}: its first {@code hlen} bytes (the MAC for Ethernet). */
    public Octets clientHardwareAddress() {
        return chaddr.prefix(hlen);
    }

    public boolean relayed() {
        return giaddr != 0;
    }

    @Override
    public String toString() {
        return "DhcpMessage[" + op + " xid=0x" + Integer.toHexString(xid) + " htype=" + htype + " hlen=" + hlen
                + " hops=" + hops + " secs=" + secs + " flags=0x" + Integer.toHexString(flags)
                + " ciaddr=" + Ipv4.text(ciaddr) + " yiaddr=" + Ipv4.text(yiaddr) + " siaddr=" + Ipv4.text(siaddr)
                + " giaddr=" + Ipv4.text(giaddr) + " chaddr="
                + clientHardwareAddress().toHex(":")
                + (sname.isAllZero() ? "" : " sname=" + sname.toText())
                + (file.isAllZero() ? "" : " file=" + file.toText())
                + " options=" + options + "]";
    }
}
