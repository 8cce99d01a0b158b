package org.sipbridge.config.validation;

import java.util.ArrayList;
import java.util.List;

/** Collects problems with small checks whose messages all read alike. */
final class Problems {

    private final List<ConfigProblem> list = new ArrayList<>();

    void add(String key, String message) {
        list.add(new ConfigProblem(key, message));
    }

    void atLeast(String key, int value, int min) {
        if (value < min) {
            add(key, (min == 1 ? "must be > 0" : "must be at least " + min) + " (was " + value + ")");
        }
    }

    void range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            add(key, "must be between " + min + " and " + max + " (was " + value + ")");
        }
    }

    void port(String key, int value) {
        range(key, value, 1, 65535);
    }

    void maxLength(String key, String value, int max) {
        if (value.length() > max) {
            add(key, "must be at most " + max + " characters (was " + value.length() + ")");
        }
    }

    void printable(String key, String value) {
        if (value.chars().anyMatch(Character::isISOControl)) {
            add(key, "must not contain control characters");
        }
    }

    List<ConfigProblem> list() {
        return List.copyOf(list);
    }
}
