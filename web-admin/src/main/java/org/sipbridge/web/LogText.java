package org.sipbridge.web;

/** Makes a network-derived string safe for one log line: control characters (CR, LF, ESC ...) become \\uXXXX, long texts are cut. */
public final class LogText {

    private static final int MAX = 200;

    private LogText() {
    }

    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX) + 8);
        for (int i = 0; i < text.length() && i < MAX; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '\\' || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return text.length() > MAX ? out.append("...").toString() : out.toString();
    }
}
