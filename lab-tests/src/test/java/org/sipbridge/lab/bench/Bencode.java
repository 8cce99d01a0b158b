package org.sipbridge.lab.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bencode, the encoding of rtpengine's ng control protocol (a datagram is "cookie bencoded-dict").
 * Strings are decoded as ISO-8859-1 so any byte survives a round trip. Hand-written because the ng
 * messages of the benchmark need only this, and no bencode library is in the project's list.
 */
final class Bencode {

    private Bencode() {}

    static byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, value);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, Object value) {
        if (value instanceof String s) {
            byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
            out.writeBytes((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(bytes);
        } else if (value instanceof Number n) {
            out.writeBytes(("i" + n.longValue() + "e").getBytes(StandardCharsets.US_ASCII));
        } else if (value instanceof List<?> list) {
            out.write('l');
            list.forEach(item -> write(out, item));
            out.write('e');
        } else if (value instanceof Map<?, ?> map) {
            out.write('d');
            new TreeMap<>(map).forEach((key, item) -> {
                write(out, key);
                write(out, item);
            });
            out.write('e');
        } else {
            throw new IllegalArgumentException("not bencodable: " + value);
        }
    }

    /** Decodes one value starting at {@code bytes[from]}. */
    static Object decode(byte[] bytes, int from) {
        return new Reader(bytes, from).value();
    }

    private static final class Reader {
        private final byte[] bytes;
        private int at;

        Reader(byte[] bytes, int at) {
            this.bytes = bytes;
            this.at = at;
        }

        Object value() {
            if (at >= bytes.length) {
                throw new IllegalArgumentException("bencode: truncated");
            }
            byte b = bytes[at];
            if (b == 'i') {
                int end = indexOf('e', ++at);
                long n = Long.parseLong(new String(bytes, at, end - at, StandardCharsets.US_ASCII));
                at = end + 1;
                return n;
            }
            if (b == 'l' || b == 'd') {
                at++;
                List<Object> list = new ArrayList<>();
                Map<String, Object> map = new LinkedHashMap<>();
                while (at < bytes.length && bytes[at] != 'e') {
                    if (b == 'l') {
                        list.add(value());
                    } else {
                        map.put((String) value(), value());
                    }
                }
                at++;
                return b == 'l' ? list : map;
            }
            int colon = indexOf(':', at);
            int length = Integer.parseInt(new String(bytes, at, colon - at, StandardCharsets.US_ASCII));
            if (length < 0 || colon + 1 + length > bytes.length) {
                throw new IllegalArgumentException("bencode: bad string length " + length);
            }
            String s = new String(bytes, colon + 1, length, StandardCharsets.ISO_8859_1);
            at = colon + 1 + length;
            return s;
        }

        private int indexOf(char c, int from) {
            for (int i = from; i < bytes.length; i++) {
                if (bytes[i] == c) {
                    return i;
                }
            }
            throw new IllegalArgumentException("bencode: no '" + c + "'");
        }
    }
}
