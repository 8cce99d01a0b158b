package org.sipbridge.config.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.Station;
import org.sipbridge.config.persistence.ConfigJson;
import org.sipbridge.config.schema.Limit.IntRange;
import org.sipbridge.config.schema.Limit.Length;
import org.sipbridge.config.validation.ConfigException;
import org.sipbridge.config.validation.ConfigProblem;

/**
 * Every typed limit in the catalog is the one the loader enforces: the bounds are accepted and the
 * values just outside are rejected for that key. Derived from the catalog, so a new key with a
 * limit is covered without touching this test.
 */
class DocumentedLimitsAreEnforcedTest {

    private static final String STATION = "stations[].";

    @TestFactory
    List<DynamicTest> integerRanges() {
        return SettingCatalog.all().stream()
                .filter(setting -> setting.limit() instanceof IntRange)
                .map(setting -> DynamicTest.dynamicTest(setting.key() + " " + setting.range(), () -> {
                    IntRange range = (IntRange) setting.limit();
                    ObjectNode base = sample();
                    if (range.atLeastKey() != null) {
                        // the other key's lowest value leaves this key's own minimum reachable
                        set(
                                base,
                                range.atLeastKey(),
                                IntNode.valueOf(SettingCatalog.intRange(range.atLeastKey())
                                        .min()));
                    }
                    assertAccepted(base, setting.key(), IntNode.valueOf(range.min()));
                    assertAccepted(base, setting.key(), IntNode.valueOf(range.max()));
                    assertRejected(base, setting.key(), IntNode.valueOf(range.min() - 1));
                    assertRejected(base, setting.key(), IntNode.valueOf(range.max() + 1));
                }))
                .toList();
    }

    @TestFactory
    List<DynamicTest> stringLengths() {
        return SettingCatalog.all().stream()
                .filter(setting -> setting.limit() instanceof Length)
                .map(setting -> DynamicTest.dynamicTest(setting.key() + " " + setting.range(), () -> {
                    Length length = (Length) setting.limit();
                    ObjectNode base = sample();
                    assertAccepted(base, setting.key(), TextNode.valueOf("a".repeat(Math.max(length.min(), 1))));
                    assertAccepted(base, setting.key(), TextNode.valueOf("a".repeat(length.max())));
                    assertRejected(base, setting.key(), TextNode.valueOf("a".repeat(length.max() + 1)));
                    if (length.min() > 0) {
                        assertRejected(base, setting.key(), TextNode.valueOf(""));
                    } else {
                        assertAccepted(base, setting.key(), TextNode.valueOf(""));
                    }
                }))
                .toList();
    }

    @Test
    void theTypedLimitsCoverTheNumericKeys() {
        List<String> untyped = SettingCatalog.all().stream()
                .filter(setting -> setting.type() == SettingType.INTEGER && !(setting.limit() instanceof IntRange))
                .map(Setting::key)
                .toList();
        assertEquals(List.of(), untyped, "integer keys whose range is only prose");
    }

    /** Defaults with one complete station and a user name/password pair, so every key is present and valid. */
    private static ObjectNode sample() {
        Station station = new Station("desk", "2001", "secret");
        ObjectNode tree = (ObjectNode) ConfigJson.toTree(BridgeConfig.defaults().withStations(List.of(station)));
        assertEquals(List.of(), problems(tree), "the sample must be valid");
        return tree;
    }

    private static void assertAccepted(ObjectNode base, String key, JsonNode value) {
        List<ConfigProblem> found = problemsOf(base, key, value);
        assertTrue(found.isEmpty(), key + " = " + shortText(value) + " should be accepted: " + found);
    }

    private static void assertRejected(ObjectNode base, String key, JsonNode value) {
        List<ConfigProblem> found = problemsOf(base, key, value);
        assertFalse(found.isEmpty(), key + " = " + shortText(value) + " should be rejected");
    }

    private static List<ConfigProblem> problemsOf(ObjectNode base, String key, JsonNode value) {
        ObjectNode tree = base.deepCopy();
        set(tree, key, value);
        String indexed = key.replace("[]", "[0]");
        return problems(tree).stream()
                .filter(problem -> problem.key().equals(indexed))
                .toList();
    }

    private static void set(ObjectNode tree, String key, JsonNode value) {
        String path = key.startsWith(STATION) ? "stations.0." + key.substring(STATION.length()) : key;
        String[] parts = path.split("\\.");
        JsonNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            node = node.isArray() ? node.get(Integer.parseInt(parts[i])) : node.get(parts[i]);
        }
        ((ObjectNode) node).set(parts[parts.length - 1], value);
    }

    private static List<ConfigProblem> problems(JsonNode tree) {
        try {
            ConfigJson.parse(tree.toString());
            return List.of();
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    private static String shortText(JsonNode value) {
        String text = value.toString();
        return text.length() > 20 ? value.asText().length() + " characters" : text;
    }
}
