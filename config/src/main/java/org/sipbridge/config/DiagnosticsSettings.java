package org.sipbridge.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * Configuration › Diagnostics: the syslog receiver for phones' logs, log retention and compression,
 * and the level of each tracing topic (one logger per module, see {@link TraceTopic}).
 */
public record DiagnosticsSettings(
        boolean syslogReceiverEnabled,
        int syslogPort,
        int retentionDays,
        boolean compression,
        Map<String, String> traceLevels) {

    public DiagnosticsSettings {
        traceLevels = java.util.Collections.unmodifiableMap(new TreeMap<>(traceLevels));
    }

    public static DiagnosticsSettings defaults() {
        Map<String, String> levels = new TreeMap<>();
        for (TraceTopic topic : TraceTopic.values()) {
            levels.put(topic.key(), TraceTopic.DEFAULT_LEVEL);
        }
        return new DiagnosticsSettings(false, 514, 7, true, levels);
    }

    public DiagnosticsSettings withTraceLevels(Map<String, String> value) {
        return new DiagnosticsSettings(syslogReceiverEnabled, syslogPort, retentionDays, compression, value);
    }
}
