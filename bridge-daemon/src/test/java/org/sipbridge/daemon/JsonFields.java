package org.sipbridge.daemon;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Checks that JSON has the fields a page reads, named as the page's JavaScript names them. */
final class JsonFields {

    private JsonFields() {}

    /**
     * Each path ({@code a.b}, {@code list[].c}: every element of {@code list}) must lead to a field that is
     * present (its value may be null); the objects on the way must be there.
     */
    static void assertPresent(JsonNode json, List<String> paths) {
        for (String path : paths) {
            present(json, path, path);
        }
    }

    private static void present(JsonNode node, String rest, String path) {
        int dot = rest.indexOf('.');
        String head = dot < 0 ? rest : rest.substring(0, dot);
        boolean each = head.endsWith("[]");
        String name = each ? head.substring(0, head.length() - 2) : head;
        assertTrue(
                node != null && node.isObject() && node.has(name), "missing " + path + " (at " + name + ") in " + node);
        JsonNode value = node.get(name);
        if (dot < 0 && !each) {
            return;
        }
        if (each) {
            assertTrue(value.isArray(), path + ": " + name + " is not a list");
            assertFalse(value.isEmpty(), path + ": the test data must fill " + name);
            for (JsonNode element : value) {
                if (dot < 0) {
                    continue;
                }
                present(element, rest.substring(dot + 1), path);
            }
        } else {
            present(value, rest.substring(dot + 1), path);
        }
    }
}
