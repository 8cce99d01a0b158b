package org.sipbridge.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A tracing topic: the functional area a log line belongs to. Each is the logger of one module's
 * base package, so a level set here applies to everything that module logs.
 */
public enum TraceTopic {
    CONFIG("org.sipbridge.config"),
    DHCP("org.sipbridge.dhcp"),
    PROVISIONING("org.sipbridge.provisioning"),
    SIP("org.sipbridge.sip"),
    RTP("org.sipbridge.rtp"),
    WEB("org.sipbridge.web"),
    DAEMON("org.sipbridge.daemon");

    public static final String DEFAULT_LEVEL = "INFO";
    public static final List<String> LEVELS = List.of("OFF", "ERROR", "WARN", "INFO", "DEBUG", "TRACE");

    private final String loggerName;

    TraceTopic(String loggerName) {
        this.loggerName = loggerName;
    }

    /** The key used in {@code diagnostics.traceLevels}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String loggerName() {
        return loggerName;
    }

    public static Optional<TraceTopic> fromKey(String key) {
        for (TraceTopic topic : values()) {
            if (topic.key().equals(key)) {
                return Optional.of(topic);
            }
        }
        return Optional.empty();
    }
}
