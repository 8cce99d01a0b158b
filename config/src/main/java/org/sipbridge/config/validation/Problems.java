package org.sipbridge.config.validation;

import java.util.ArrayList;
import java.util.List;
import org.sipbridge.config.schema.Limit.IntRange;
import org.sipbridge.config.schema.Limit.Length;
import org.sipbridge.config.schema.SettingCatalog;

/** Collects problems with small checks whose messages all read alike. */
final class Problems {

    private final List<ConfigProblem> list = new ArrayList<>();

    void add(String key, String message) {
        list.add(new ConfigProblem(key, message));
    }

    /** Checks {@code value} against the key's range in the settings catalog. */
    void range(String key, int value) {
        IntRange range = SettingCatalog.intRange(key);
        if (!range.contains(value)) {
            add(key, "must be between " + range.min() + " and " + range.max() + " (was " + value + ")");
        }
    }

    /** Checks {@code value} against the key's length bounds in the settings catalog. */
    void length(String key, String value) {
        Length length = SettingCatalog.length(key);
        if (value.length() < length.min()) {
            add(key, "must not be empty");
        }
        maxLength(key, value, length.max());
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
