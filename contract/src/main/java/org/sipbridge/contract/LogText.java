package org.sipbridge.contract;

/**
 * Makes any text safe to write on one log line: the one escaping every module uses for
 * network-derived text (the daemon's log layout applies {@link #escapeControls} to every message too).
 */
public final class LogText {

    /** How much of a network-derived string a log line quotes. */
    private static final int MAX_QUOTED = 200;

    private LogText() {}

    /** {@link #escapeControls} of at most the first 200 characters ("..." after a cut); "null" for null. */
    public static String bounded(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() > MAX_QUOTED
                ? escapeControls(text.substring(0, MAX_QUOTED)) + "..."
                : escapeControls(text);
    }

    /**
     * Control characters (C0 incl. CR and LF, DEL, C1) and the Unicode line/paragraph separators as
     * visible escapes ({@code \x0a}, {@code \u2028}), so text from the network can neither end a log
     * line nor forge the next one. Backslashes are left as they are: escaping twice must not change
     * text that was already escaped (the syslog receiver escapes its lines itself).
     */
    public static String escapeControls(String text) {
        int first = firstControl(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c)) {
                out.append(
                        c == '\u2028' || c == '\u2029'
                                ? String.format("\\u%04x", (int) c)
                                : String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int firstControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isControl(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029';
    }
}
