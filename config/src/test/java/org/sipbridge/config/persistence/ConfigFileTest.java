package org.sipbridge.config.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.Station;
import org.sipbridge.config.validation.ConfigException;

class ConfigFileTest {

    @TempDir
    Path dir;

    @Test
    void firstStartCreatesTheDefaultConfig() throws Exception {
        Path file = dir.resolve("sub/sipbridge.json");
        assertEquals(BridgeConfig.defaults(), ConfigFile.loadOrCreate(file));
        assertEquals(BridgeConfig.defaults(), ConfigFile.load(file));
    }

    @Test
    void savedFileIsOwnerOnlyAndLeavesNoTemporaryFiles() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path file = dir.resolve("sipbridge.json");
        Files.writeString(file, "{}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(dir.resolve(".sipbridge.json.crashed.tmp"), "{\"half");
        BridgeConfig config = BridgeConfig.defaults().withStations(List.of(new Station("Desk", "1001", "secret")));
        ConfigFile.save(file, config);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(config, ConfigFile.load(file));
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList());
        }
    }

    @Test
    void anInvalidConfigIsNeverWritten() throws Exception {
        Path file = dir.resolve("sipbridge.json");
        ConfigFile.save(file, BridgeConfig.defaults());
        String before = Files.readString(file);
        BridgeConfig bad = BridgeConfig.defaults()
                .withProtocols(BridgeConfig.defaults()
                        .protocols()
                        .withUdp(BridgeConfig.defaults().protocols().udp().withT1Ms(-5)));
        assertThrows(ConfigException.class, () -> ConfigFile.save(file, bad));
        assertEquals(before, Files.readString(file));
    }

    @Test
    void nonUtf8IsReportedAsSuch() throws Exception {
        Path file = dir.resolve("sipbridge.json");
        Files.write(file, new byte[] {'{', (byte) 0xff, '}'});
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.load(file));
        assertTrue(e.getMessage().equals("the file is not UTF-8 text"), e.getMessage());
        Files.writeString(file, "{\"bridge\":{\"name\":\"Büro\"}}", StandardCharsets.UTF_8);
        assertEquals("Büro", ConfigFile.load(file).bridge().name());
    }
}
