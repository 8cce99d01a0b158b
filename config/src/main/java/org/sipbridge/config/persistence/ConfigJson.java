package org.sipbridge.config.persistence;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.Station;
import org.sipbridge.config.schema.Setting;
import org.sipbridge.config.schema.SettingCatalog;
import org.sipbridge.config.validation.ConfigException;
import org.sipbridge.config.validation.ConfigProblem;
import org.sipbridge.config.validation.ConfigValidator;

/**
 * Reads and writes the JSON config. Reading completes a partial file with defaults, refuses unknown
 * keys and values of the wrong shape, then validates; every problem is reported at once.
 */
public final class ConfigJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            // Only record components are settings; helpers such as isConfigured() are not.
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
            .build();

    /** Defaults of the elements of list settings, used to complete each element. */
    private static final Map<String, Object> ELEMENT_DEFAULTS = Map.of("stations", Station.empty());

    private ConfigJson() {}

    /** Parses a config file's text. */
    public static BridgeConfig parse(String json) throws ConfigException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            throw ConfigException.of(ConfigProblem.ofDocument("not valid JSON: " + where + e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw ConfigException.of(ConfigProblem.ofDocument("the file is empty; expected a JSON object such as {}"));
        }
        if (!root.isObject()) {
            throw ConfigException.of(
                    ConfigProblem.ofDocument("expected a JSON object at the top, found " + root.getNodeType()));
        }
        List<ConfigProblem> problems = new ArrayList<>();
        // Values of the wrong shape are replaced by their defaults here, so that validation can still
        // report the problems of every other value in the same run.
        JsonNode merged = merge(MAPPER.valueToTree(BridgeConfig.defaults()), root, "", problems);
        BridgeConfig config;
        try {
            config = MAPPER.treeToValue(merged, BridgeConfig.class);
        } catch (JsonProcessingException e) {
            throw ConfigException.of(ConfigProblem.ofDocument(e.getOriginalMessage()));
        }
        for (ConfigProblem problem : ConfigValidator.validate(config)) {
            if (problems.stream().noneMatch(known -> known.key().equals(problem.key()))) {
                problems.add(problem);
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    /** The config as the pretty-printed JSON that is written to disk. */
    public static String format(BridgeConfig config) {
        try {
            return MAPPER.writeValueAsString(config) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write config as JSON", e);
        }
    }

    /** The config as a JSON tree, for comparing and for the API. */
    public static JsonNode toTree(BridgeConfig config) {
        return MAPPER.valueToTree(config);
    }

    private static JsonNode merge(JsonNode defaults, JsonNode user, String path, List<ConfigProblem> problems) {
        Optional<Setting> setting = path.isEmpty() ? Optional.empty() : SettingCatalog.find(path);
        if (setting.isPresent()) {
            return mergeSetting(setting.get(), defaults, user, path, problems);
        }
        if (!user.isObject()) {
            problems.add(new ConfigProblem(path, "expected an object (was " + shown(user) + ")"));
            return defaults;
        }
        ObjectNode result = ((ObjectNode) defaults).deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> fields = user.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = join(path, field.getKey());
            if (!defaults.has(field.getKey())) {
                problems.add(new ConfigProblem(key, "unknown key" + suggestion(defaults, field.getKey(), path)));
            } else {
                result.set(field.getKey(), merge(defaults.get(field.getKey()), field.getValue(), key, problems));
            }
        }
        return result;
    }

    private static JsonNode mergeSetting(
            Setting setting, JsonNode defaults, JsonNode user, String key, List<ConfigProblem> problems) {
        int before = problems.size();
        if (user.isNull()) {
            problems.add(new ConfigProblem(key, "must not be null; leave the key out to get the default"));
            return defaults;
        }
        switch (setting.type()) {
            case BOOLEAN -> expect(user.isBoolean(), key, "true or false", user, problems);
            case INTEGER -> {
                if (user.isNumber() && !user.isIntegralNumber()) {
                    problems.add(new ConfigProblem(key, "must be a whole number (was " + shown(user) + ")"));
                } else if (user.isIntegralNumber() && !user.canConvertToInt()) {
                    problems.add(new ConfigProblem(key, "is far out of range (was " + shown(user) + ")"));
                } else {
                    expect(user.isIntegralNumber(), key, "a whole number", user, problems);
                }
            }
            case STRING -> {
                expect(user.isTextual(), key, "a string", user, problems);
                if (user.isTextual()
                        && !setting.allowedValues().isEmpty()
                        && !setting.allowedValues().contains(user.asText())) {
                    problems.add(new ConfigProblem(
                            key,
                            "must be one of " + String.join(", ", setting.allowedValues()) + " (was " + shown(user)
                                    + ")"));
                }
            }
            case STRING_LIST -> {
                expect(user.isArray(), key, "a list of strings", user, problems);
                for (int i = 0; user.isArray() && i < user.size(); i++) {
                    expect(user.get(i).isTextual(), key + "[" + i + "]", "a string", user.get(i), problems);
                }
            }
            case STRING_MAP -> {
                expect(user.isObject(), key, "an object", user, problems);
                if (user.isObject()) {
                    ObjectNode result = ((ObjectNode) defaults).deepCopy();
                    user.fields().forEachRemaining(entry -> {
                        expect(
                                entry.getValue().isTextual(),
                                join(key, entry.getKey()),
                                "a string",
                                entry.getValue(),
                                problems);
                        result.set(entry.getKey(), entry.getValue());
                    });
                    return problems.size() == before ? result : defaults;
                }
            }
            case OBJECT_LIST -> {
                expect(user.isArray(), key, "a list of objects", user, problems);
                if (user.isArray()) {
                    ArrayNode result = MAPPER.createArrayNode();
                    JsonNode element = MAPPER.valueToTree(ELEMENT_DEFAULTS.get(setting.key()));
                    for (int i = 0; i < user.size(); i++) {
                        result.add(merge(element, user.get(i), key + "[" + i + "]", problems));
                    }
                    return problems.size() == before ? result : defaults;
                }
            }
        }
        return problems.size() == before ? user : defaults;
    }

    private static void expect(boolean ok, String key, String what, JsonNode user, List<ConfigProblem> problems) {
        if (!ok) {
            problems.add(new ConfigProblem(key, "must be " + what + " (was " + shown(user) + ")"));
        }
    }

    /** The closest sibling key within two edits, ignoring case; otherwise the list of known keys. */
    private static String suggestion(JsonNode siblings, String typo, String path) {
        List<String> known = new ArrayList<>();
        siblings.fieldNames().forEachRemaining(known::add);
        String best = null;
        int bestDistance = 3;
        for (String name : known) {
            int distance = editDistance(name.toLowerCase(Locale.ROOT), typo.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = name;
                bestDistance = distance;
            }
        }
        return best != null
                ? " (did you mean " + join(path, best) + "?)"
                : "; known keys here: " + String.join(", ", known);
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String shown(JsonNode value) {
        String text = value.toString();
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }
}
