package org.sipbridge.lab.attack;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Breaks a SIP message (with or without an SDP body) the ways parsers get hurt: bit flips, header
 * lines deleted, duplicated or emptied, compact and odd-case header names, huge values, CR/LF/NUL
 * injection, truncation, SDP lines removed, repeated or pointed at forbidden addresses, numbers at
 * their limits, a wrong Content-Length. One to four mutations per input, chosen by the input's random source.
 * Text is handled as ISO-8859-1 so every byte survives a round trip.
 */
public final class SipMutator {

    private static final String[][] COMPACT = {
        {"Via", "v"},
        {"From", "f"},
        {"To", "t"},
        {"Call-ID", "i"},
        {"Contact", "m"},
        {"Content-Length", "l"},
        {"Content-Type", "c"},
        {"Supported", "k"},
        {"Subject", "s"}
    };
    private static final String[] NUMBERS = {
        "0",
        "-1",
        "1",
        "65535",
        "65536",
        "2147483647",
        "2147483648",
        "-2147483649",
        "9223372036854775808",
        "99999999999999999999999999",
        "1e9",
        "0x10",
        "",
        " ",
        "NaN"
    };
    private static final String[] ADDRESSES = {
        "0.0.0.0",
        "127.0.0.1",
        "224.0.0.1",
        "255.255.255.255",
        "169.254.1.1",
        "198.18.1.1",
        "198.19.2.1",
        "198.18.1.99",
        "198.19.2.99",
        "::1",
        "[fe80::1]",
        "example.invalid",
        "1.2.3",
        "198.18.1.256",
        ""
    };
    private static final String[] INJECTIONS = {
        "\r\n",
        "\n",
        "\r",
        "\0",
        "\r\nVia: SIP/2.0/UDP 198.18.1.66:5060\r\n",
        "\r\n\r\n",
        "\r\n ",
        "\t",
        "%0d%0a",
        "\u00ff\u00fe",
        "\u00c0\u00af",
        "\"",
        "<",
        ">;",
        ",",
        ";;=",
        "\\"
    };
    private static final String[] SDP_LINES = {
        "a=inactive",
        "a=recvonly",
        "a=candidate:1 1 UDP 2130706431 198.18.1.10 9 typ host",
        "c=IN IP4 ",
        "c=IN IP6 ::1",
        "m=audio 0 RTP/AVP 0",
        "m=audio 65536 RTP/AVP 0",
        "m=audio 9/99999 RTP/AVP 0",
        "m=image 9 udptl t38",
        "a=rtcp:99999 IN IP4 127.0.0.1",
        "b=AS:99999999999",
        "a=rtpmap:0",
        "o=",
        "v=1",
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:",
        "m=audio 40000 RTP/AVP " + "96 ".repeat(200),
        "a=fingerprint:sha-256 00",
        "a=setup:actpass",
        "z=0 0",
        "k=clear:secret"
    };

    private SipMutator() {}

    /** A mutated copy of {@code seed}; never null, possibly empty. */
    public static byte[] mutate(String seed, SplittableRandom random) {
        String text = seed;
        int rounds = 1 + random.nextInt(4);
        for (int i = 0; i < rounds; i++) {
            text = once(text, random);
        }
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        if (random.nextInt(8) == 0) {
            bytes = flipBits(bytes, random);
        }
        return bytes.length > Limits.MAX_DATAGRAM ? Arrays.copyOf(bytes, Limits.MAX_DATAGRAM) : bytes;
    }

    private static String once(String text, SplittableRandom random) {
        List<String> lines = new ArrayList<>(List.of(text.split("\r\n", -1)));
        int header = headerLine(lines, random);
        return switch (random.nextInt(14)) {
            case 0 ->
                new String(flipBits(text.getBytes(StandardCharsets.ISO_8859_1), random), StandardCharsets.ISO_8859_1);
            case 1 -> edit(lines, l -> l.remove(header));
            case 2 -> edit(lines, l -> l.add(header, l.get(header)));
            case 3 -> edit(lines, l -> l.set(header, name(l.get(header)) + ":"));
            case 4 -> edit(lines, l -> l.set(header, compactOrOddCase(l.get(header), random)));
            case 5 -> edit(lines, l -> l.set(header, l.get(header) + huge(random)));
            case 6 -> inject(text, random);
            case 7 -> text.substring(0, random.nextInt(text.length() + 1));
            case 8, 9 -> mutateSdp(lines, random);
            case 10 -> replaceNumber(text, random);
            case 11 -> contentLength(lines, random);
            case 12 -> requestLine(lines, random);
            default -> edit(lines, l -> l.set(header, replaceAddress(l.get(header), random)));
        };
    }

    private interface Edit {
        void apply(List<String> lines);
    }

    private static String edit(List<String> lines, Edit edit) {
        edit.apply(lines);
        return String.join("\r\n", lines);
    }

    /** Index of a header line (after the start line, before the blank line), or 0 if there is none. */
    private static int headerLine(List<String> lines, SplittableRandom random) {
        int end = lines.indexOf("");
        int last = end < 0 ? lines.size() : end;
        return last <= 1 ? 0 : 1 + random.nextInt(last - 1);
    }

    private static String name(String line) {
        int colon = line.indexOf(':');
        return colon < 0 ? line : line.substring(0, colon);
    }

    private static String compactOrOddCase(String line, SplittableRandom random) {
        String name = name(line);
        String rest = line.substring(name.length());
        for (String[] pair : COMPACT) {
            if (pair[0].equalsIgnoreCase(name) && random.nextBoolean()) {
                return pair[1] + rest;
            }
        }
        return switch (random.nextInt(3)) {
            case 0 -> name.toUpperCase(Locale.ROOT) + rest;
            case 1 -> name + " \t " + rest;
            default -> name.toLowerCase(Locale.ROOT) + rest;
        };
    }

    private static String huge(SplittableRandom random) {
        String unit = switch (random.nextInt(5)) {
            case 0 -> "a";
            case 1 -> ";p=v";
            case 2 -> ",<sip:x@198.18.1.10>";
            case 3 -> "%";
            default -> "\u00ff";
        };
        int length = random.nextInt(4) == 0 ? 20_000 + random.nextInt(40_000) : 200 + random.nextInt(4000);
        return unit.repeat(Math.max(1, length / unit.length()));
    }

    private static String inject(String text, SplittableRandom random) {
        int at = random.nextInt(text.length() + 1);
        return text.substring(0, at) + INJECTIONS[random.nextInt(INJECTIONS.length)] + text.substring(at);
    }

    private static String mutateSdp(List<String> lines, SplittableRandom random) {
        int body = lines.indexOf("");
        if (body < 0 || body + 1 >= lines.size()) {
            return edit(lines, l -> l.add(l.isEmpty() ? 0 : 1, "Content-Type: application/sdp"));
        }
        int line = body + 1 + random.nextInt(lines.size() - body - 1);
        switch (random.nextInt(6)) {
            case 0 -> lines.remove(line);
            case 1 -> {
                // many m-lines: the port-hoarding attack
                String media = "m=audio " + (2 * (20000 + random.nextInt(1000))) + " RTP/AVP 0";
                for (int i = 0; i < 1 + random.nextInt(40); i++) {
                    lines.add(line, media);
                }
            }
            case 2 -> lines.add(line, SDP_LINES[random.nextInt(SDP_LINES.length)]);
            case 3 -> lines.set(line, SDP_LINES[random.nextInt(SDP_LINES.length)]);
            case 4 -> lines.set(line, replaceAddress(lines.get(line), random));
            default -> lines.set(line, replaceNumber(lines.get(line), random));
        }
        return String.join("\r\n", lines);
    }

    private static String replaceAddress(String line, SplittableRandom random) {
        String address = ADDRESSES[random.nextInt(ADDRESSES.length)];
        String replaced = line.replaceFirst("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}", address);
        return replaced.equals(line) ? line + address : replaced;
    }

    private static String replaceNumber(String text, SplittableRandom random) {
        java.util.regex.Matcher numbers =
                java.util.regex.Pattern.compile("\\d+").matcher(text);
        List<int[]> spans = new ArrayList<>();
        while (numbers.find() && spans.size() < 200) {
            spans.add(new int[] {numbers.start(), numbers.end()});
        }
        if (spans.isEmpty()) {
            return text + NUMBERS[random.nextInt(NUMBERS.length)];
        }
        int[] span = spans.get(random.nextInt(spans.size()));
        return text.substring(0, span[0]) + NUMBERS[random.nextInt(NUMBERS.length)] + text.substring(span[1]);
    }

    private static String contentLength(List<String> lines, SplittableRandom random) {
        String value = NUMBERS[random.nextInt(NUMBERS.length)];
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).regionMatches(true, 0, "Content-Length:", 0, 15)) {
                lines.set(i, "Content-Length: " + value);
                return String.join("\r\n", lines);
            }
        }
        lines.add(Math.min(1, lines.size()), "Content-Length: " + value);
        return String.join("\r\n", lines);
    }

    private static String requestLine(List<String> lines, SplittableRandom random) {
        String[] starts = {
            "INVITE tel:1000 SIP/2.0",
            "REGISTER sips:x SIP/2.0",
            "FOO sip:a@b SIP/2.0",
            "INVITE sip:2000@x SIP/3.0",
            "SIP/2.0 999 Odd",
            "SIP/2.0 100",
            "INVITE  sip:2000@x  SIP/2.0",
            "INVITE <sip:2000@x> SIP/2.0",
            "OPTIONS * SIP/2.0",
            "BYE sip:2000@198.18.1.1:8060;maddr=127.0.0.1 SIP/2.0",
            "GET / HTTP/1.1",
            "",
            "INVITE sip:%00@x SIP/2.0",
            "ACK sip:" + "9".repeat(300) + "@x SIP/2.0"
        };
        lines.set(0, starts[random.nextInt(starts.length)]);
        return String.join("\r\n", lines);
    }

    static byte[] flipBits(byte[] bytes, SplittableRandom random) {
        if (bytes.length == 0) {
            return bytes;
        }
        byte[] copy = bytes.clone();
        for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
            int at = random.nextInt(copy.length);
            copy[at] ^= (byte) (1 << random.nextInt(8));
        }
        return copy;
    }
}
