package org.sipbridge.config.schema;

import com.fasterxml.jackson.databind.JsonNode;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.Station;
import org.sipbridge.config.persistence.ConfigJson;

/** Renders the catalog as the Markdown table of docs/configuration.md, so the docs cannot drift. */
public final class ConfigReference {

    private ConfigReference() {}

    public static String markdownTable() {
        JsonNode defaults = ConfigJson.toTree(BridgeConfig.defaults());
        JsonNode station = ConfigJson.toTree(BridgeConfig.defaults().withStations(java.util.List.of(Station.empty())))
                .path("stations")
                .path(0);
        StringBuilder out = new StringBuilder();
        out.append("| key | default | accepted values | applies | what it does |\n");
        out.append("|---|---|---|---|---|\n");
        for (Setting setting : SettingCatalog.all()) {
            JsonNode value = setting.key().startsWith("stations[].")
                    ? station.path(setting.key().substring("stations[].".length()))
                    : defaults.at("/" + setting.key().replace('.', '/'));
            out.append("| `")
                    .append(setting.key())
                    .append("` | ")
                    .append(defaultText(value))
                    .append(" | ")
                    .append(setting.range())
                    .append(" | ")
                    .append(setting.needsRestart() ? "restart" : "live")
                    .append(" | ")
                    .append(setting.description())
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String defaultText(JsonNode value) {
        String text = value.toString();
        if (text.length() > 60) {
            return "see below";
        }
        return "`" + text.replace("|", "\\|") + "`";
    }
}
