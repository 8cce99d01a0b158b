package org.sipbridge.contract;

/** What to tell a person about a failure: the innermost cause's message, which names the real problem. */
public final class Failures {

    private Failures() {}

    /** The message of {@code e}'s root cause (or its class name when it has none). */
    public static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() != null ? cause.getMessage() : e.getMessage();
        return message != null ? message : cause.getClass().getSimpleName();
    }
}
