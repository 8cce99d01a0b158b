package org.sipbridge.dhcp.reply;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.sipbridge.dhcp.codec.Octets;

/**
 * Which phones may be answered, by MAC: whole addresses ({@code 00:04:f2:12:34:56}) or vendor OUI
 * prefixes ({@code 00:04:f2}, {@code 48:25:67} for Polycom). {@link #ANY} answers every client, which
 * is what the reference product does.
 */
public final class MacAllowList {

    public static final MacAllowList ANY = new MacAllowList(List.of());

    private static final int OUI_LENGTH = 3;
    private static final int MAC_LENGTH = 6;

    private final List<Octets> prefixes;

    private MacAllowList(List<Octets> prefixes) {
        this.prefixes = List.copyOf(prefixes);
    }

    /**
     * Parses entries of 3 (OUI) or 6 (MAC) hex bytes separated by {@code :} or {@code -}, any case.
     * An empty collection means {@link #ANY}.
     */
    public static MacAllowList parse(Collection<String> entries) {
        List<Octets> prefixes = new ArrayList<>();
        for (String entry : entries) {
            prefixes.add(parseEntry(entry));
        }
        return prefixes.isEmpty() ? ANY : new MacAllowList(prefixes);
    }

    private static Octets parseEntry(String entry) {
        String[] parts = entry.trim().split("[:-]", -1);
        if (parts.length != OUI_LENGTH && parts.length != MAC_LENGTH) {
            throw new IllegalArgumentException(
                    "not a MAC (00:04:f2:12:34:56) or OUI prefix (00:04:f2): \"" + entry + "\"");
        }
        byte[] bytes = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].length() != 2
                    || !HexFormat.isHexDigit(parts[i].charAt(0))
                    || !HexFormat.isHexDigit(parts[i].charAt(1))) {
                throw new IllegalArgumentException(
                        "not a MAC (00:04:f2:12:34:56) or OUI prefix (00:04:f2): \"" + entry + "\"");
            }
            bytes[i] = (byte) HexFormat.fromHexDigits(parts[i]);
        }
        return Octets.of(bytes);
    }

    public boolean allowsAny() {
        return prefixes.isEmpty();
    }

    /** True for a 6-byte hardware address that matches an entry; anything else only when the list is {@link #ANY}. */
    public boolean allows(Octets hardwareAddress) {
        if (allowsAny()) {
            return true;
        }
        if (hardwareAddress.length() != MAC_LENGTH) {
            return false;
        }
        return prefixes.stream().anyMatch(hardwareAddress::startsWith);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MacAllowList o && prefixes.equals(o.prefixes);
    }

    @Override
    public int hashCode() {
        return prefixes.hashCode();
    }

    @Override
    public String toString() {
        return allowsAny()
                ? "any MAC"
                : prefixes.stream().map(p -> p.toHex(":")).collect(Collectors.joining(", "));
    }
}
