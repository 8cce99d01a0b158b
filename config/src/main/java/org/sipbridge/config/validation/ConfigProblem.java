package org.sipbridge.config.validation;

/**
 * One thing wrong with a configuration: the full key and the reason, e.g.
 * {@code protocols.udp.t1Ms: must be > 0 (was -5)}. The key is empty when the problem is the
 * document as a whole (not JSON, not an object).
 */
public record ConfigProblem(String key, String message) {

    /** A problem with the whole document rather than one key. */
    public static ConfigProblem ofDocument(String message) {
        return new ConfigProblem("", message);
    }

    @Override
    public String toString() {
        return key.isEmpty() ? message : key + ": " + message;
    }
}
