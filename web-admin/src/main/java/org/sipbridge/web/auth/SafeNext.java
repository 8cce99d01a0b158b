package org.sipbridge.web.auth;

/**
 * The rule for the login page's {@code next} parameter (where to go after a login): only a path on
 * this server. The same rule is in {@code assets/login.js}; the server refuses to serve the login
 * page with anything else, so an old or altered script cannot be led away either.
 */
public final class SafeNext {

    private static final int MAX_LENGTH = 2048;

    private SafeNext() {}

    /**
     * Whether {@code next} (already percent-decoded once, as a browser's URLSearchParams gives it) is a
     * same-origin path: it starts with one "/" not followed by "/" or "\", and has no backslash and no
     * control or invisible separator characters (browsers drop tabs and newlines from URLs, so
     * {@code /<TAB>/evil} would become {@code //evil}).
     */
    public static boolean isSafe(String next) {
        if (next == null || next.isEmpty() || next.length() > MAX_LENGTH || next.charAt(0) != '/') {
            return false;
        }
        if (next.length() > 1 && (next.charAt(1) == '/' || next.charAt(1) == '\\')) {
            return false;
        }
        return next.chars()
                .noneMatch(c -> c == '\\'
                        || Character.isISOControl(c)
                        || Character.isWhitespace(c)
                        || Character.getType(c) == Character.LINE_SEPARATOR
                        || Character.getType(c) == Character.PARAGRAPH_SEPARATOR
                        || Character.getType(c) == Character.FORMAT);
    }
}
