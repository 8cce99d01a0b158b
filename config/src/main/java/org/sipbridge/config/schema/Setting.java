package org.sipbridge.config.schema;

import java.util.List;

/**
 * What the program knows about one configuration key: its JSON shape, when it applies, the values it
 * accepts (typed where the validator checks bounds, in words otherwise) and what it is for. Keys of
 * list elements use {@code []}, as in {@code stations[].userName}.
 */
public record Setting(
        String key,
        SettingType type,
        ApplyMode applyMode,
        List<String> allowedValues,
        Limit limit,
        String description) {

    public Setting {
        allowedValues = List.copyOf(allowedValues);
    }

    /** The accepted values in words, as docs/configuration.md shows them. */
    public String range() {
        return limit.prose();
    }

    public boolean needsRestart() {
        return applyMode == ApplyMode.RESTART;
    }
}
