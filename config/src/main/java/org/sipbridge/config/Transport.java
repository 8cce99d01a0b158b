package org.sipbridge.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A SIP transport, written in lower case in the config file ({@code "udp"}). */
public enum Transport {
    UDP,
    TCP,
    TLS;

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Transport fromKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
