package org.sipbridge.daemon.syslog;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one syslog datagram: RFC 5424 ({@code <PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG}), else
 * RFC 3164 as phones send it ({@code <PRI>Mmm dd hh:mm:ss HOST TAG: MSG}, host and tag optional),
 * else the raw text. Pure and total: any bytes give a message, never an exception; control
 * characters come out escaped so a datagram cannot forge or break log lines.
 */
public final class SyslogParser {

    /** Longest datagram text kept (RFC 5424 receivers must take 480 octets, should take 2048). */
    static final int MAX_TEXT = 8192;

    private static final Pattern PRI = Pattern.compile("^<(\\d{1,3})>");
    private static final Pattern RFC5424 = Pattern.compile(
            "^1 (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (-|(?:\\[(?:[^\\]\\\\]|\\\\.)*\\])+)(?: (.*))?$", Pattern.DOTALL);
    private static final Pattern RFC3164 = Pattern.compile(
            "^([A-Z][a-z]{2} [ 0-9]\\d \\d{2}:\\d{2}:\\d{2}) (?:(\\S+) )?(?:([^\\s:\\[]{1,48})(\\[[^\\]]*\\])?: )?(.*)$",
            Pattern.DOTALL);

    private SyslogParser() {}

    public static SyslogMessage parse(byte[] data, int length) {
        String text = new String(data, 0, Math.min(length, MAX_TEXT), StandardCharsets.UTF_8);
        Matcher pri = PRI.matcher(text);
        if (!pri.find() || Integer.parseInt(pri.group(1)) > 191) {
            return raw(text);
        }
        int value = Integer.parseInt(pri.group(1));
        String rest = text.substring(pri.end());
        Matcher m5424 = RFC5424.matcher(rest);
        if (m5424.matches()) {
            String app = nil(m5424.group(3)) + (nil(m5424.group(4)).isEmpty() ? "" : "[" + m5424.group(4) + "]");
            String message = m5424.group(7) == null ? "" : stripBom(m5424.group(7));
            String data5424 = "-".equals(m5424.group(6)) ? "" : m5424.group(6) + " ";
            return new SyslogMessage(
                    SyslogMessage.Format.RFC5424,
                    value / 8,
                    value % 8,
                    escape(nil(m5424.group(1))),
                    escape(nil(m5424.group(2))),
                    escape(app),
                    escape(data5424 + message));
        }
        Matcher m3164 = RFC3164.matcher(rest);
        if (m3164.matches()) {
            String tag = m3164.group(3) == null ? "" : m3164.group(3) + (m3164.group(4) == null ? "" : m3164.group(4));
            return new SyslogMessage(
                    SyslogMessage.Format.RFC3164,
                    value / 8,
                    value % 8,
                    escape(m3164.group(1)),
                    escape(m3164.group(2) == null ? "" : m3164.group(2)),
                    escape(tag),
                    escape(m3164.group(5)));
        }
        // A PRI and free text (many embedded senders skip the header): keep the text, note the priority.
        return new SyslogMessage(SyslogMessage.Format.RFC3164, value / 8, value % 8, "", "", "", escape(rest));
    }

    private static SyslogMessage raw(String text) {
        return new SyslogMessage(SyslogMessage.Format.RAW, 0, 0, "", "", "", escape(text));
    }

    private static String nil(String field) {
        return "-".equals(field) ? "" : field;
    }

    private static String stripBom(String message) {
        return message.startsWith("\uFEFF") ? message.substring(1) : message;
    }

    /** Control characters (and a trailing line end) as visible escapes: one datagram, one log line. */
    static String escape(String text) {
        String trimmed = text.endsWith("\r\n")
                ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") || text.endsWith("\0") ? text.substring(0, text.length() - 1) : text;
        StringBuilder out = new StringBuilder(trimmed.length());
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                out.append(String.format("\\x%02x", (int) c));
            } else if (c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
