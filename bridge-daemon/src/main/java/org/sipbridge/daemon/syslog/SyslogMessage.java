package org.sipbridge.daemon.syslog;

/**
 * A syslog datagram as the receiver understood it. {@code format} says which grammar matched;
 * for {@link Format#RAW} (nothing matched) only {@code text} is set and holds the whole datagram.
 * Every field is already safe to write on one log line: control characters are escaped.
 */
public record SyslogMessage(
        Format format, int facility, int severity, String timestamp, String host, String app, String text) {

    public enum Format {
        RFC5424,
        RFC3164,
        RAW
    }

    private static final String[] SEVERITIES = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};

    /** The line written to syslog.log, after the time it was received. */
    public String line(String sender) {
        if (format == Format.RAW) {
            return sender + " raw " + text;
        }
        StringBuilder out = new StringBuilder(sender)
                .append(' ')
                .append(SEVERITIES[severity])
                .append(" facility=")
                .append(facility);
        append(out, timestamp);
        append(out, host);
        append(out, app);
        return out.append(": ").append(text).toString();
    }

    private static void append(StringBuilder out, String field) {
        if (!field.isEmpty()) {
            out.append(' ').append(field);
        }
    }
}
