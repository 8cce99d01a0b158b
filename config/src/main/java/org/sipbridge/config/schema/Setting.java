package org.sipbridge.config.schema;

import java.util.List;

/**
 * What the program knows about one configuration key: its JSON shape, when it applies, the values it
 * accepts (in words, for people) and what it is for. Keys of list elements use {@code []}, as in
 * {@code stations[].userName}.
 */
public record Setting(
        String key,
        SettingType type,
        ApplyMode applyMode,
        List<String> allowedValues,
        String range,
        String description) {

    public Setting {
        allowedValues = List.copyOf(allowedValues);
    }

    public boolean needsRestart() {
        return applyMode == ApplyMode.RESTART;
    }
}
