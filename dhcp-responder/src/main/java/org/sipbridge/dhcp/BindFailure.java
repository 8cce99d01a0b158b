package org.sipbridge.dhcp;

import java.util.Locale;

/**
 * Turns a failed bind into the sentence the status page shows, with the usual cause of each error:
 * "cannot listen on 0.0.0.0:67: Permission denied (binding port 67 needs root or CAP_NET_BIND_SERVICE)".
 */
final class BindFailure {

    private static final int FIRST_UNPRIVILEGED_PORT = 1024;

    private BindFailure() {}

    static String describe(int port, Throwable failure) {
        String error = errorText(failure);
        String lower = error.toLowerCase(Locale.ROOT);
        String hint = "";
        if (lower.contains("permission denied") || lower.contains("eacces")) {
            error = "Permission denied";
            if (port < FIRST_UNPRIVILEGED_PORT) {
                hint = " (binding port " + port + " needs root or CAP_NET_BIND_SERVICE)";
            }
        } else if (lower.contains("address already in use") || lower.contains("eaddrinuse")) {
            error = "Address already in use";
            hint = " (another DHCP server runs on this computer)";
        }
        return "cannot listen on 0.0.0.0:" + port + ": " + error + hint;
    }

    /** The innermost message: netty's native errors read "bind(..) failed with error(-13): Permission denied". */
    private static String errorText(Throwable failure) {
        String text = failure.getClass().getSimpleName();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                text = t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        int colon = text.lastIndexOf(": ");
        return colon >= 0 && colon + 2 < text.length() ? text.substring(colon + 2) : text;
    }
}
