package org.sipbridge.rtp.sdp;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sipbridge.contract.media.MediaUnavailableException;

/**
 * Parses just enough of RFC 4566 to rewrite an SDP body for the other side of the bridge. Pure: no
 * sockets, no DNS, no clock. The only exception it throws is {@link MediaUnavailableException}, whose
 * message names the line and the problem, so the SIP relay can answer with a precise reason.
 */
public final class SdpParser {

    /** Far above any real phone or PBX body; bounds the work a hostile body can cause. */
    static final int MAX_LENGTH = 65_536;
    /** Each enabled m-line costs four ports; a desk phone offers one or two (audio, sometimes video). */
    static final int MAX_MEDIA = 16;

    private SdpParser() {}

    public static SessionDescription parse(String body) throws MediaUnavailableException {
        if (body == null || body.isBlank()) {
            throw new MediaUnavailableException("SDP body is empty");
        }
        if (body.length() > MAX_LENGTH) {
            throw new MediaUnavailableException(
                    "SDP body is " + body.length() + " characters, more than " + MAX_LENGTH);
        }
        List<String> lines = SdpLines.split(body);
        if (!lines.get(0).equals("v=0")) {
            throw fail(0, lines.get(0), "must be v=0");
        }
        for (int i = 0; i < lines.size(); i++) {
            checkShape(i, lines.get(i));
        }
        int firstMedia = firstMediaLine(lines);
        int originLine = -1;
        int sessionConnectionLine = -1;
        Connection sessionConnection = null;
        String sessionDirection = "sendrecv";
        for (int i = 1; i < firstMedia; i++) {
            String line = lines.get(i);
            if (isDirection(line)) {
                sessionDirection = line.substring(2);
            } else if (line.startsWith("o=")) {
                if (originLine >= 0) {
                    throw fail(i, line, "second o= line");
                }
                originLine = i;
            } else if (line.startsWith("c=")) {
                if (sessionConnectionLine >= 0) {
                    throw fail(i, line, "second session-level c= line");
                }
                sessionConnectionLine = i;
                sessionConnection = connection(i, line);
            }
        }
        if (originLine < 0) {
            throw new MediaUnavailableException("SDP has no o= line before the first m= line");
        }
        Origin origin = origin(originLine, lines.get(originLine));
        List<MediaDescription> media = new ArrayList<>();
        int start = firstMedia;
        while (start < lines.size()) {
            int end = start + 1;
            while (end < lines.size() && !lines.get(end).startsWith("m=")) {
                end++;
            }
            if (media.size() == MAX_MEDIA) {
                throw new MediaUnavailableException("SDP has more than " + MAX_MEDIA + " m= lines");
            }
            media.add(mediaSection(lines, media.size(), start, end, sessionConnection, sessionDirection));
            start = end;
        }
        return new SessionDescription(lines, originLine, origin, sessionConnectionLine, sessionConnection, media);
    }

    private static int firstMediaLine(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("m=")) {
                return i;
            }
        }
        return lines.size();
    }

    private static void checkShape(int i, String line) throws MediaUnavailableException {
        if (line.isEmpty()) {
            throw fail(i, line, "empty line inside the body");
        }
        char type = line.charAt(0);
        if (line.length() < 2 || type < 'a' || type > 'z' || line.charAt(1) != '=') {
            throw fail(i, line, "not <type>=<value>");
        }
    }

    private static Origin origin(int i, String line) throws MediaUnavailableException {
        String[] fields = line.substring(2).split(" ", -1);
        if (fields.length != 6) {
            throw fail(i, line, "o= needs 6 fields (username sess-id sess-version nettype addrtype address)");
        }
        if (!isDigits(fields[1]) || !isDigits(fields[2])) {
            throw fail(i, line, "o= sess-id and sess-version must be numbers");
        }
        return new Origin(fields[0], fields[1], new BigInteger(fields[2]));
    }

    private static MediaDescription mediaSection(
            List<String> lines, int index, int start, int end, Connection sessionConnection, String sessionDirection)
            throws MediaUnavailableException {
        String mLine = lines.get(start);
        String[] fields = mLine.substring(2).split(" ", -1);
        if (fields.length < 4 || fields[0].isEmpty() || fields[2].isEmpty()) {
            throw fail(start, mLine, "m= needs <media> <port> <proto> <fmt>...");
        }
        int port = mediaPort(start, mLine, fields[1]);
        boolean enabled = port != 0;
        List<Integer> formats = new ArrayList<>();
        for (int f = 3; f < fields.length; f++) {
            int pt = smallNumber(fields[f], 127);
            if (pt >= 0) {
                formats.add(pt);
            }
        }
        List<Integer> connectionLines = new ArrayList<>();
        Connection connection = null;
        RtcpAttribute rtcp = null;
        boolean rtcpMux = false;
        boolean crypto = false;
        String direction = sessionDirection;
        Map<Integer, RtpMap> rtpMaps = new HashMap<>();
        for (int i = start + 1; i < end; i++) {
            String line = lines.get(i);
            if (line.startsWith("c=")) {
                Connection parsed = enabled ? connection(i, line) : connectionOrNull(line);
                connectionLines.add(i); // rewritten even when unreadable: it may name a LAN address (IPv6, a name)
                if (parsed != null && connection == null) {
                    connection = parsed;
                }
            } else if (line.startsWith("a=rtcp:")) {
                rtcp = rtcpAttribute(i, line);
            } else if (isDirection(line)) {
                direction = line.substring(2);
            } else if (line.equals("a=rtcp-mux")) {
                rtcpMux = true;
            } else if (line.startsWith("a=crypto:")) {
                crypto = true;
            } else if (line.startsWith("a=rtpmap:")) {
                RtpMap map = rtpMap(line);
                if (map != null) {
                    rtpMaps.putIfAbsent(map.payloadType(), map);
                }
            } else if (line.startsWith("o=") || line.startsWith("v=")) {
                throw fail(i, line, line.charAt(0) + "= line inside a media section");
            }
        }
        Connection effective = connection != null ? connection : sessionConnection;
        if (enabled && effective == null) {
            throw fail(start, mLine, "m= line " + (index + 1) + " has no c= line and there is no session-level c=");
        }
        return new MediaDescription(
                index,
                start,
                fields[0],
                port,
                fields[2],
                formats,
                connectionLines,
                effective,
                rtcp,
                rtcpMux,
                rtpMaps,
                crypto,
                direction);
    }

    private static boolean isDirection(String line) {
        return line.equals("a=sendrecv")
                || line.equals("a=sendonly")
                || line.equals("a=recvonly")
                || line.equals("a=inactive");
    }

    private static int mediaPort(int i, String line, String token) throws MediaUnavailableException {
        String digits = token;
        int slash = token.indexOf('/');
        if (slash >= 0) {
            if (!token.substring(slash + 1).equals("1")) {
                throw fail(i, line, "port counts other than /1 are not supported");
            }
            digits = token.substring(0, slash);
        }
        int port = smallNumber(digits, 65535);
        if (port < 0) {
            throw fail(i, line, "m= port must be a number from 0 to 65535");
        }
        return port;
    }

    private static Connection connection(int i, String line) throws MediaUnavailableException {
        String[] fields = line.substring(2).split(" ", -1);
        if (fields.length != 3 || !fields[0].equals("IN")) {
            throw fail(i, line, "c= must be \"IN IP4 <address>\"");
        }
        if (fields[1].equals("IP6")) {
            throw fail(i, line, "IPv6 media addresses are not supported; the bridge relays IPv4");
        }
        if (!fields[1].equals("IP4")) {
            throw fail(i, line, "c= address type must be IP4");
        }
        if (fields[2].indexOf('/') >= 0) {
            throw fail(i, line, "multicast media is not supported");
        }
        Inet4Address address = Ipv4Literal.parse(fields[2]);
        if (address == null) {
            throw fail(i, line, "c= address must be a literal IPv4 address (the bridge does not resolve names)");
        }
        if (address.isMulticastAddress()) {
            throw fail(i, line, "multicast media is not supported");
        }
        return new Connection(address);
    }

    private static Connection connectionOrNull(String line) {
        try {
            return connection(0, line);
        } catch (MediaUnavailableException ignored) {
            return null; // a disabled stream's c= need not be readable; it is replaced with the bridge's
        }
    }

    private static RtcpAttribute rtcpAttribute(int i, String line) throws MediaUnavailableException {
        String[] fields = line.substring("a=rtcp:".length()).split(" ", -1);
        int port = smallNumber(fields[0], 65535);
        if (port <= 0) {
            throw fail(i, line, "a=rtcp port must be a number from 1 to 65535");
        }
        if (fields.length == 1) {
            return new RtcpAttribute(i, port, null);
        }
        if (fields.length != 4 || !fields[1].equals("IN")) {
            throw fail(i, line, "a=rtcp must be \"<port>\" or \"<port> IN IP4 <address>\"");
        }
        if (!fields[2].equals("IP4")) {
            throw fail(i, line, "a=rtcp address must be IPv4");
        }
        Inet4Address address = Ipv4Literal.parse(fields[3]);
        if (address == null || address.isMulticastAddress()) {
            throw fail(i, line, "a=rtcp address must be a literal unicast IPv4 address");
        }
        return new RtcpAttribute(i, port, address);
    }

    /** Lenient: an rtpmap the relay cannot read only costs it the clock rate for jitter; the line passes as is. */
    private static RtpMap rtpMap(String line) {
        String value = line.substring("a=rtpmap:".length());
        int space = value.indexOf(' ');
        if (space <= 0) {
            return null;
        }
        int pt = smallNumber(value.substring(0, space), 127);
        String[] encoding = value.substring(space + 1).split("/", -1);
        if (pt < 0 || encoding.length < 2 || encoding[0].isEmpty()) {
            return null;
        }
        int clockRate = smallNumber(encoding[1], 1_000_000);
        return clockRate <= 0 ? null : new RtpMap(pt, encoding[0], clockRate);
    }

    /** A non-negative decimal no larger than {@code max}, or -1. */
    static int smallNumber(String text, int max) {
        if (text.isEmpty() || text.length() > 7) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= max ? value : -1;
    }

    private static boolean isDigits(String text) {
        if (text.isEmpty() || text.length() > 40) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static MediaUnavailableException fail(int index, String line, String problem) {
        return new MediaUnavailableException(describe(index, line, problem));
    }

    /**
     * {@code SDP line N ("<line>"): <problem>}, the line cut at 80 characters and escaped: the message ends up
     * in logs, and a body from the network may carry control characters (a lone CR, escape sequences).
     */
    static String describe(int index, String line, String problem) {
        String shown = line.length() > 80 ? line.substring(0, 77) + "..." : line;
        StringBuilder escaped = new StringBuilder(shown.length() + 8);
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\' || c > 0x7e) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return "SDP line " + (index + 1) + " (\"" + escaped + "\"): " + problem;
    }
}
