package org.sipbridge.config.central;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.sipbridge.config.schema.SettingCatalog;
import org.sipbridge.config.validation.ConfigProblem;

/**
 * The settings IT manages centrally for this bridge: a partial config document (the same JSON as the
 * local file) and where it came from. Its keys override the local file's and are read-only locally.
 * Some keys describe this computer, not the fleet, and a central document may not name them.
 *
 * @param settings the merged document (the bridge's own over the default one)
 * @param source   the URL(s) it came from, for "managed by …"
 * @param version  what identifies this content (ETag or a digest), shown on the Bridge page
 */
public record CentralDocument(ObjectNode settings, String source, String version) {

    /** Keys (or key prefixes) that only this computer knows: its adapters, its UI socket, how it finds the server. */
    public static final List<String> LOCAL_ONLY =
            List.of("bridge.lanAdapter", "bridge.vpnAdapter", "web.bindAddress", "web.port", "management");

    public static final CentralDocument NONE = new CentralDocument(JsonNodeFactory.instance.objectNode(), "", "");

    public CentralDocument {
        settings = settings.deepCopy();
    }

    public boolean isEmpty() {
        return settings.isEmpty();
    }

    /** The catalog keys the document sets, e.g. {@code bridge.servers}, {@code stations}, {@code admin.passwordHash}. */
    public List<String> managedKeys() {
        List<String> keys = new ArrayList<>();
        collect(settings, "", keys);
        return keys;
    }

    /** Whether the document sets {@code key} (a catalog key, or a key below a managed list or map). */
    public boolean manages(String key) {
        return managedKeys().stream()
                .anyMatch(m -> key.equals(m) || key.startsWith(m + ".") || key.startsWith(m + "["));
    }

    /** Problems of keys a central document may not set; empty when it only names fleet settings. */
    public List<ConfigProblem> localOnlyProblems() {
        List<ConfigProblem> problems = new ArrayList<>();
        List<String> named = new ArrayList<>();
        collectAll(settings, "", named);
        for (String key : named) {
            if (problems.stream().anyMatch(p -> key.startsWith(p.key() + "."))) {
                continue; // below a key already reported
            }
            for (String local : LOCAL_ONLY) {
                if (key.equals(local) || key.startsWith(local + ".")) {
                    problems.add(new ConfigProblem(
                            key, "is local to each computer and cannot be managed centrally (" + source + ")"));
                    break;
                }
            }
        }
        return problems;
    }

    /** {@code local} with this document's values over it: objects merge key by key, settings replace. */
    public ObjectNode over(JsonNode local) {
        ObjectNode result = local.deepCopy();
        merge(result, settings, "");
        return result;
    }

    /** {@code top} merged over {@code base} the same way: the bridge's own document over the default one. */
    public static ObjectNode merged(ObjectNode base, ObjectNode top) {
        ObjectNode result = base.deepCopy();
        merge(result, top, "");
        return result;
    }

    private static void merge(ObjectNode target, JsonNode change, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = change.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            JsonNode existing = target.get(field.getKey());
            if (SettingCatalog.find(key).isEmpty()
                    && existing != null
                    && existing.isObject()
                    && field.getValue().isObject()) {
                merge((ObjectNode) existing, field.getValue(), key);
            } else {
                target.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }

    private static void collect(JsonNode node, String path, List<String> keys) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            if (SettingCatalog.find(key).isPresent() || !field.getValue().isObject()) {
                keys.add(key);
            } else {
                collect(field.getValue(), key, keys);
            }
        }
    }

    private static void collectAll(JsonNode node, String path, List<String> keys) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            keys.add(key);
            if (field.getValue().isObject() && SettingCatalog.find(key).isEmpty()) {
                collectAll(field.getValue(), key, keys);
            }
        }
    }
}
