package org.sipbridge.config.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.Station;
import org.sipbridge.config.persistence.ConfigJson;

class SettingCatalogTest {

    private static final Path DOC = Path.of("..", "docs", "configuration.md");
    private static final String BEGIN = "<!-- settings table: generated from SettingCatalog -->\n";
    private static final String END = "<!-- end of settings table -->";

    @Test
    void everyLeafOfTheModelHasACatalogEntryAndNoEntryIsStale() {
        BridgeConfig sample = BridgeConfig.defaults().withStations(List.of(Station.empty()));
        List<String> leaves = new ArrayList<>();
        collect(ConfigJson.toTree(sample), "", leaves);
        List<String> catalog = SettingCatalog.all().stream().map(Setting::key).toList();
        assertEquals(
                catalog.stream().sorted().toList(), leaves.stream().sorted().toList());
    }

    private static void collect(JsonNode node, String path, List<String> leaves) {
        if (!path.isEmpty() && SettingCatalog.find(path).isPresent()) {
            leaves.add(path.replaceAll("\\[\\d+]", "[]"));
            if (!node.isArray() || !node.path(0).isObject()) {
                return;
            }
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), path + "[" + i + "]", leaves);
            }
        } else if (node.isObject()) {
            node.fieldNames()
                    .forEachRemaining(
                            name -> collect(node.get(name), path.isEmpty() ? name : path + "." + name, leaves));
        } else {
            throw new AssertionError("no catalog entry for " + path);
        }
    }

    @Test
    void configurationReferenceInDocsIsUpToDate() throws IOException {
        String doc = Files.readString(DOC);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertTrue(begin >= 0 && end > begin, "docs/configuration.md lacks the generated-table markers");
        String expected =
                doc.substring(0, begin + BEGIN.length()) + ConfigReference.markdownTable() + doc.substring(end);
        if (Boolean.getBoolean("sipbridge.writeDocs")) {
            Files.writeString(DOC, expected);
            return;
        }
        assertEquals(
                expected,
                doc,
                "docs/configuration.md is stale: run "
                        + "mvn -q -pl config test -Dtest=SettingCatalogTest -Dsipbridge.writeDocs=true");
    }

    @Test
    void restartSettingsAreTheListenersAndAdapters() {
        List<String> restart = SettingCatalog.all().stream()
                .filter(Setting::needsRestart)
                .map(Setting::key)
                .toList();
        assertTrue(restart.contains("web.port"));
        assertTrue(restart.contains("media.rtpPortRange"));
        assertTrue(restart.contains("protocols.udp.port"));
        assertTrue(!restart.contains("protocols.udp.t1Ms"));
        assertEquals(
                "stations[].userName",
                SettingCatalog.find("stations[3].userName").get().key());
    }
}
