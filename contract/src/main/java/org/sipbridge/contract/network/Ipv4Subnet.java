package org.sipbridge.contract.network;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 address with its prefix length, as an adapter carries it ({@code 192.168.1.20/24}). */
public record Ipv4Subnet(int address, int prefixLength) {

    public Ipv4Subnet {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0-32 (was " + prefixLength + ")");
        }
    }

    public static Ipv4Subnet of(Inet4Address address, int prefixLength) {
        byte[] b = address.getAddress();
        return new Ipv4Subnet(
                (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff), prefixLength);
    }

    /** Parses {@code a.b.c.d/len}. */
    public static Ipv4Subnet parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("expected a.b.c.d/len: " + cidr);
        }
        return of(parseAddress(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
    }

    /** Parses a dotted IPv4 literal without ever asking DNS. */
    public static Inet4Address parseAddress(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            int value = Integer.parseInt(parts[i]);
            if (value > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            bytes[i] = (byte) value;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean isIpv4Literal(String text) {
        try {
            parseAddress(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private int mask() {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** The network address ({@code 192.168.1.0} for {@code 192.168.1.20/24}). */
    public int network() {
        return address & mask();
    }

    public boolean contains(int otherAddress) {
        return (otherAddress & mask()) == network();
    }

    /** True when some address belongs to both subnets: one contains the other's network. */
    public boolean overlaps(Ipv4Subnet other) {
        int shorter = Math.min(prefixLength, other.prefixLength);
        int mask = shorter == 0 ? 0 : -1 << (32 - shorter);
        return (address & mask) == (other.address & mask);
    }

    public String addressText() {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
    }

    /** The network in CIDR form ({@code 192.168.1.0/24}). */
    public String networkText() {
        return new Ipv4Subnet(network(), prefixLength).addressText() + "/" + prefixLength;
    }

    @Override
    public String toString() {
        return addressText() + "/" + prefixLength;
    }
}
