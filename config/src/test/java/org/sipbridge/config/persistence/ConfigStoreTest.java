package org.sipbridge.config.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.ProtocolSettings;
import org.sipbridge.config.WebSettings;
import org.sipbridge.config.validation.ConfigException;

class ConfigStoreTest {

    @TempDir
    Path dir;

    private ConfigStore store() throws Exception {
        Path file = dir.resolve("sipbridge.json");
        return new ConfigStore(file, ConfigFile.loadOrCreate(file));
    }

    @Test
    void subscribersHearOnlyAboutTheirOwnSection() throws Exception {
        ConfigStore store = store();
        List<ProtocolSettings> protocolChanges = new ArrayList<>();
        List<WebSettings> webChanges = new ArrayList<>();
        store.subscribe(BridgeConfig::protocols, protocolChanges::add);
        store.subscribe(BridgeConfig::web, webChanges::add);

        BridgeConfig changed = store.current()
                .withProtocols(store.current()
                        .protocols()
                        .withUdp(store.current().protocols().udp().withT1Ms(250)));
        ApplyResult result = store.apply(changed);

        assertEquals(List.of("protocols.udp.t1Ms"), result.changedKeys());
        assertEquals(List.of(), result.restartKeys());
        assertEquals(List.of(changed.protocols()), protocolChanges);
        assertEquals(List.of(), webChanges);
        assertEquals(changed, ConfigFile.load(store.file()));
    }

    @Test
    void restartSettingsAreReportedUntilRestart() throws Exception {
        ConfigStore store = store();
        ApplyResult result = store.apply(store.current().withWeb(new WebSettings("127.0.0.1", 9090)));
        assertEquals(List.of("web.port"), result.restartKeys());
        assertEquals(List.of("web.port"), store.pendingRestart());
        store.apply(store.current().withWeb(WebSettings.defaults()));
        assertEquals(List.of(), store.pendingRestart());
    }

    @Test
    void aRefusedChangeLeavesMemoryAndDiskAsTheyWere() throws Exception {
        ConfigStore store = store();
        BridgeConfig before = store.current();
        String onDisk = Files.readString(store.file());
        List<Object> heard = new ArrayList<>();
        store.subscribe(c -> c, heard::add);
        BridgeConfig bad = before.withWeb(new WebSettings("nowhere", 0));
        ConfigException e = assertThrows(ConfigException.class, () -> store.apply(bad));
        assertEquals(2, e.problems().size());
        assertSame(before, store.current());
        assertEquals(onDisk, Files.readString(store.file()));
        assertEquals(List.of(), heard);
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() throws Exception {
        ConfigStore store = store();
        List<WebSettings> heard = new ArrayList<>();
        store.subscribe(BridgeConfig::web, w -> {
            throw new IllegalStateException("boom");
        });
        store.subscribe(BridgeConfig::web, heard::add);
        store.apply(store.current().withWeb(new WebSettings("127.0.0.1", 9091)));
        assertEquals(1, heard.size());
    }

    @Test
    void unsubscribedListenersHearNothing() throws Exception {
        ConfigStore store = store();
        List<WebSettings> heard = new ArrayList<>();
        AutoCloseable subscription = store.subscribe(BridgeConfig::web, heard::add);
        subscription.close();
        store.apply(store.current().withWeb(new WebSettings("127.0.0.1", 9092)));
        assertEquals(List.of(), heard);
    }
}
