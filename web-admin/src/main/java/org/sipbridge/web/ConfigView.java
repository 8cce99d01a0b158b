package org.sipbridge.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.Station;
import org.sipbridge.config.persistence.ConfigJson;
import org.sipbridge.config.validation.ConfigException;
import org.sipbridge.config.validation.ConfigProblem;

/**
 * The config as the API shows it (secrets replaced by "is set" flags) and the merge of a partial
 * change from the API onto the running config. Pure: no I/O, no store.
 */
final class ConfigView {

    private ConfigView() {}

    /** The config without secrets: stations get {@code passwordSet}, admin gets {@code credentialsSet}. */
    static ObjectNode redacted(BridgeConfig config) {
        ObjectNode tree = (ObjectNode) ConfigJson.toTree(config);
        ArrayNode stations = (ArrayNode) tree.get("stations");
        for (int i = 0; i < stations.size(); i++) {
            ObjectNode station = (ObjectNode) stations.get(i);
            station.remove("password");
            station.put("passwordSet", !config.stations().get(i).password().isEmpty());
        }
        ObjectNode admin = (ObjectNode) tree.get("admin");
        admin.remove("passwordHash");
        admin.put("credentialsSet", config.admin().hasCredentials());
        ObjectNode management = (ObjectNode) tree.get("management");
        management.remove("password");
        management.remove("bearerToken");
        management.put("passwordSet", !config.management().password().isEmpty());
        management.put("bearerTokenSet", !config.management().bearerToken().isEmpty());
        return tree;
    }

    /**
     * The running config with {@code change} merged in: objects merge key by key (so a partial
     * {@code traceLevels} changes only its topics), lists and values replace. Each station sent
     * without a password keeps the stored password of the station with the same user name. The
     * result is parsed and validated as a whole.
     *
     * @throws ConfigException listing every problem, by key, when anything is wrong
     */
    static BridgeConfig merged(BridgeConfig current, JsonNode change) throws ConfigException {
        if (change == null || !change.isObject()) {
            throw ConfigException.of(ConfigProblem.ofDocument(
                    "the body must be a JSON object such as " + "{\"protocols\": {\"udp\": {\"t1Ms\": 500}}}"));
        }
        ObjectNode body = ((ObjectNode) change).deepCopy();
        body.remove("pendingRestart");
        body.remove("managed");
        if (body.get("management") instanceof ObjectNode management) {
            management.remove(List.of("passwordSet", "bearerTokenSet"));
        }
        List<ConfigProblem> problems = new ArrayList<>(adminProblems(current, body.remove("admin")));
        JsonNode stations = body.get("stations");
        if (stations != null && stations.isArray()) {
            keepPasswords(current, (ArrayNode) stations);
        }
        ObjectNode tree = (ObjectNode) ConfigJson.toTree(current);
        merge(tree, body);
        try {
            BridgeConfig candidate = ConfigJson.parse(tree.toString());
            if (problems.isEmpty()) {
                return candidate;
            }
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        throw new ConfigException(problems);
    }

    /** admin.* belongs to the Administration page (hashing happens there); unchanged values are tolerated. */
    private static List<ConfigProblem> adminProblems(BridgeConfig current, JsonNode admin) {
        if (admin == null) {
            return List.of();
        }
        if (!admin.isObject()) {
            return List.of(new ConfigProblem("admin", "cannot be changed here; use POST /api/admin/credentials"));
        }
        ObjectNode now = redacted(current).with("admin");
        List<ConfigProblem> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = admin.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().equals(now.get(field.getKey()))) {
                problems.add(new ConfigProblem(
                        "admin." + field.getKey(),
                        "cannot be changed here; use Configuration › Administration (POST /api/admin/credentials)"));
            }
        }
        return problems;
    }

    private static void keepPasswords(BridgeConfig current, ArrayNode stations) {
        for (JsonNode element : stations) {
            if (!element.isObject()) {
                continue;
            }
            ObjectNode station = (ObjectNode) element;
            station.remove("passwordSet");
            JsonNode password = station.get("password");
            if (password == null || password.isNull()) {
                String userName = station.path("userName").asText("");
                current.stations().stream()
                        .filter(s -> s.userName().equals(userName))
                        .findFirst()
                        .map(Station::password)
                        .ifPresentOrElse(p -> station.put("password", p), () -> station.remove("password"));
            }
        }
    }

    private static void merge(ObjectNode target, JsonNode change) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = change.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = target.get(field.getKey());
            if (existing != null && existing.isObject() && field.getValue().isObject()) {
                merge((ObjectNode) existing, field.getValue());
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
    }
}
