package org.sipbridge.dhcp.codec;

import java.util.Objects;

/**
 * One option, after RFC 3396 concatenation: a value longer than 255 bytes is legal here; the encoder
 * splits it into consecutive instances of the same code.
 */
public record DhcpOption(int code, Octets value) {

    public DhcpOption {
        Objects.requireNonNull(value, "value");
        if (code <= DhcpOptionCodes.PAD || code >= DhcpOptionCodes.END) {
            throw new IllegalArgumentException("option code must be 1-254 (pad 0 and end 255 are framing): " + code);
        }
        if (code == DhcpOptionCodes.OVERLOAD) {
            throw new IllegalArgumentException(
                    "option 52 (overload) is framing that the codec reads and writes itself");
        }
        DhcpOptionCodes.requiredLength(code).ifPresent(length -> {
            if (value.length() != length) {
                throw new IllegalArgumentException(
                        "option " + code + " needs " + length + " bytes, got " + value.length());
            }
        });
    }

    public static DhcpOption of(int code, byte... value) {
        return new DhcpOption(code, Octets.of(value));
    }

    /** A text option (NVT ASCII, RFC 2132 §2): no trailing NUL, as the RFC asks and picky clients expect. */
    public static DhcpOption text(int code, String text) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("option " + code + ": text options carry no NUL: " + text);
        }
        return new DhcpOption(code, Octets.ascii(text));
    }

    /** An option holding one IPv4 address (4 bytes, network order). */
    public static DhcpOption address(int code, int ipv4) {
        return new DhcpOption(code, Octets.adopt(Ipv4.toBytes(ipv4)));
    }

    public static DhcpOption messageType(DhcpMessageType type) {
        return of(DhcpOptionCodes.MESSAGE_TYPE, (byte) type.code());
    }

    /** {@code 60="Polycom-VVX450"} when the value is printable text, {@code 53=08} otherwise. */
    @Override
    public String toString() {
        boolean printable = !value.isEmpty();
        for (int i = 0; i < value.length() && printable; i++) {
            printable = value.unsignedAt(i) >= 0x20 && value.unsignedAt(i) < 0x7f;
        }
        return code + "=" + (printable ? '"' + value.toText() + '"' : value.toString());
    }
}
