package org.sipbridge.rtp;

/** Network-derived text (a Call-ID) made safe for one log line: control and non-ASCII characters escaped. */
final class LogText {

    private static final int MAX = 200;

    private LogText() {
    }

    static String escape(String text) {
        if (text == null) {
            return "null";
        }
        String shown = text.length() > MAX ? text.substring(0, MAX) + "..." : text;
        StringBuilder out = new StringBuilder(shown.length());
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
