package org.sipbridge.dhcp.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable run of bytes, compared by content: option values and the fixed {@code chaddr},
 * {@code sname} and {@code file} fields. Records holding a {@code byte[]} would compare by identity
 * and could be changed behind their back; this keeps {@link DhcpMessage} a true value.
 */
public final class Octets {

    public static final Octets EMPTY = new Octets(new byte[0]);

    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private Octets(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Octets of(byte... bytes) {
        return new Octets(bytes.clone());
    }

    /** Takes ownership of {@code bytes} without copying; for the codec's own freshly made arrays. */
    static Octets adopt(byte[] bytes) {
        return new Octets(bytes);
    }

    public static Octets zeros(int length) {
        return new Octets(new byte[length]);
    }

    public static Octets fromHex(String hex) {
        return new Octets(HEX.parseHex(hex));
    }

    /** The bytes of a US-ASCII text; refuses other characters so that no option carries an accident of encoding. */
    public static Octets ascii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7f) {
                throw new IllegalArgumentException("not US-ASCII at index " + i + ": " + text);
            }
        }
        return new Octets(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** A copy of {@code source} from {@code from} (inclusive) to {@code to} (exclusive). */
    static Octets copyOf(byte[] source, int from, int to) {
        return new Octets(Arrays.copyOfRange(source, from, to));
    }

    public int length() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    /** The byte at {@code index} as 0-255. */
    public int unsignedAt(int index) {
        return bytes[index] & 0xff;
    }

    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** The first {@code length} bytes. */
    public Octets prefix(int length) {
        return length == bytes.length ? this : new Octets(Arrays.copyOf(bytes, length));
    }

    public boolean startsWith(Octets prefix) {
        return prefix.bytes.length <= bytes.length
                && Arrays.equals(bytes, 0, prefix.bytes.length, prefix.bytes, 0, prefix.bytes.length);
    }

    public boolean isAllZero() {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The bytes as text for logs and the status page. RFC 2132 forbids a trailing NUL, yet some clients
     * send one: it is dropped here. Bytes outside US-ASCII show as U+FFFD.
     */
    public String toText() {
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }

    void copyTo(byte[] target, int offset) {
        System.arraycopy(bytes, 0, target, offset, bytes.length);
    }

    void copyTo(byte[] target, int offset, int from, int length) {
        System.arraycopy(bytes, from, target, offset, length);
    }

    /** Lower-case hex, two digits a byte, with {@code separator} between bytes ("00:04:f2"). */
    public String toHex(String separator) {
        return HexFormat.ofDelimiter(separator).formatHex(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Octets o && Arrays.equals(bytes, o.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HEX.formatHex(bytes);
    }
}
