package org.sipbridge.config.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.schema.SettingCatalog;

/** Which settings differ between two configs, named by their catalog keys. */
public final class ConfigDiff {

    private ConfigDiff() {}

    public static List<String> changedKeys(BridgeConfig before, BridgeConfig after) {
        List<String> keys = new ArrayList<>();
        collect(ConfigJson.toTree(before), ConfigJson.toTree(after), "", keys);
        return keys;
    }

    private static void collect(JsonNode before, JsonNode after, String path, List<String> keys) {
        if (before.equals(after)) {
            return;
        }
        boolean setting = !path.isEmpty() && SettingCatalog.find(path).isPresent();
        if (setting || !before.isObject() || !after.isObject()) {
            keys.add(path);
            return;
        }
        for (Iterator<String> names = before.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            collect(before.get(name), after.path(name), path.isEmpty() ? name : path + "." + name, keys);
        }
    }
}
