package org.sipbridge.contract.service;

/**
 * A problem in plain words, where it comes from, and the fix when one is known; the tray tooltip and
 * the status page show the same text.
 */
public record Reason(Severity severity, String source, String message, String fix) {

    public static Reason notReady(String source, String message, String fix) {
        return new Reason(Severity.NOT_READY, source, message, fix);
    }

    public static Reason warning(String source, String message, String fix) {
        return new Reason(Severity.WARNING, source, message, fix);
    }
}
