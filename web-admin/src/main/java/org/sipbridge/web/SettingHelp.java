package org.sipbridge.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.sipbridge.config.schema.Setting;
import org.sipbridge.config.schema.SettingType;

/**
 * One entry of {@code GET /api/config/schema}: a setting's help text, restart mark, accepted values and
 * default, as {@code form.js} and the Media page's property list read them.
 *
 * @param restart      true when a change takes effect after a restart
 * @param range        the accepted values in words
 * @param defaultValue the default, {@code null} for keys of list elements ({@code stations[].userName})
 */
@JsonPropertyOrder({"key", "type", "restart", "allowedValues", "range", "description", "default"})
record SettingHelp(
        String key,
        SettingType type,
        boolean restart,
        List<String> allowedValues,
        String range,
        String description,
        @JsonProperty("default") JsonNode defaultValue) {

    /** {@code setting} with its default looked up in the default configuration's JSON tree. */
    static SettingHelp of(Setting setting, JsonNode defaults) {
        JsonNode value = defaults.at("/" + setting.key().replace('.', '/'));
        return new SettingHelp(
                setting.key(),
                setting.type(),
                setting.needsRestart(),
                setting.allowedValues(),
                setting.range(),
                setting.description(),
                setting.key().contains("[]") || value.isMissingNode() ? null : value);
    }
}
