package org.sipbridge.provisioning.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * The path of a phone's request, decoded once and checked before anything is relayed, so that no
 * encoding can make the upstream read outside its base path. A path is relayed only when every
 * decoded segment is a plain file or folder name; then it goes upstream in one canonical encoding,
 * whatever encoding the phone used. Refused, with the reason:
 * <ul>
 *   <li>anything but an origin-form path ({@code /...}), or longer than {@value #MAX_LENGTH} characters;</li>
 *   <li>raw characters outside RFC 3986 {@code pchar} and {@code /} (backslash, {@code ;}, space, non-ASCII...);</li>
 *   <li>malformed percent-encoding, and bytes that are not strict UTF-8 (overlong forms, surrogates, truncated);</li>
 *   <li>decoded: {@code /} or {@code \} inside a segment ({@code %2f}, {@code %5c}), control characters
 *       ({@code %00}...), {@code %} (double encoding), {@code ;} (path parameters), {@code :} (drive letters,
 *       NTFS streams);</li>
 *   <li>segments that are only dots ({@code .}, {@code ..}, {@code ...}), that end in a dot or a space
 *       (Windows servers strip those), empty segments ({@code //}) except a trailing slash;</li>
 *   <li>characters that Unicode compatibility normalisation turns into others (fullwidth dots and slashes).</li>
 * </ul>
 */
public final class RequestPath {

    public static final int MAX_LENGTH = 2048;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** What the check decided: the canonical path to relay, or why the request is refused. */
    public sealed interface Verdict permits Relay, Refuse {}

    public record Relay(String canonical) implements Verdict {}

    public record Refuse(String reason) implements Verdict {}

    private RequestPath() {}

    /** @param rawPath the request target's path as received, without the query */
    public static Verdict check(String rawPath) {
        if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return new Refuse("the path must start with /");
        }
        if (rawPath.length() > MAX_LENGTH) {
            return new Refuse("the path is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < rawPath.length(); i++) {
            if (!allowedRaw(rawPath.charAt(i))) {
                return new Refuse("character " + describe(rawPath.charAt(i)) + " is not allowed in a path");
            }
        }
        String[] segments = rawPath.substring(1).split("/", -1);
        StringBuilder canonical = new StringBuilder(rawPath.length());
        for (int i = 0; i < segments.length; i++) {
            boolean last = i == segments.length - 1;
            String decoded;
            try {
                decoded = decode(segments[i]);
            } catch (IllegalArgumentException e) {
                return new Refuse(e.getMessage());
            }
            String problem = problem(decoded, last);
            if (problem != null) {
                return new Refuse(problem);
            }
            canonical.append('/');
            encode(decoded, canonical);
        }
        return new Relay(canonical.toString());
    }

    /** Why a decoded segment is refused, or null. */
    private static String problem(String segment, boolean last) {
        if (segment.isEmpty()) {
            return last ? null : "empty path segment (//)";
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '/' || c == '\\') {
                return "encoded slash or backslash in a path segment";
            }
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                return "control character " + describe(c) + " in the path";
            }
            if (c == '%') {
                return "percent sign after decoding (double encoding)";
            }
            if (c == ';') {
                return "path parameters (;) are not relayed";
            }
            if (c == ':') {
                return "colon in a path segment (drive letters, file streams)";
            }
        }
        if (segment.chars().allMatch(c -> c == '.')) {
            return "dot segment (" + segment + ")";
        }
        char end = segment.charAt(segment.length() - 1);
        if (end == '.' || end == ' ') {
            return "path segment ending in a dot or space";
        }
        if (!Normalizer.normalize(segment, Normalizer.Form.NFKC).equals(segment)) {
            return "characters that Unicode normalisation changes (e.g. fullwidth dots or slashes)";
        }
        return null;
    }

    /** RFC 3986 pchar and '/', with ';' left out (path parameters). */
    private static boolean allowedRaw(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,=:@/%".indexOf(c) >= 0;
    }

    /** Percent-decodes once into bytes, then strict UTF-8 (rejects overlong forms, surrogates, truncation). */
    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteBuffer bytes = ByteBuffer.allocate(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    throw new IllegalArgumentException("truncated percent-encoding");
                }
                int high = Character.digit(segment.charAt(i + 1), 16);
                int low = Character.digit(segment.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("malformed percent-encoding");
                }
                bytes.put((byte) (high << 4 | low));
                i += 2;
            } else {
                bytes.put((byte) c);
            }
        }
        bytes.flip();
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(
                    "the decoded path is not valid UTF-8 (overlong, truncated or surrogate)");
        }
    }

    /** Unreserved characters and the sub-delimiters allowed above stay; everything else is %XX in UTF-8. */
    private static void encode(String segment, StringBuilder out) {
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && c != '%' && c != ':' && c != '/' && allowedRaw(c)) {
                out.append(c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
    }

    private static String describe(char c) {
        return c >= 0x21 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
