package org.sipbridge.config.validation;

/** One thing wrong with a configuration: the full key and the reason, e.g. {@code protocols.udp.t1Ms: must be > 0 (was -5)}. */
public record ConfigProblem(String key, String message) {

    @Override
    public String toString() {
        return key + ": " + message;
    }
}
