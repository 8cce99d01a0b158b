package org.sipbridge.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlatformPathsTest {

    private static final Path HOME = Path.of("/home/jane");

    @Test
    void linuxFollowsXdg() {
        PlatformPaths paths =
                PlatformPaths.of("Linux", Map.of("XDG_CONFIG_HOME", "/cfg", "XDG_DATA_HOME", "/data"), HOME);
        assertEquals(Path.of("/cfg/sipbridge/sipbridge.json"), paths.configFile());
        assertEquals(Path.of("/data/sipbridge"), paths.dataDir());
    }

    @Test
    void linuxWithoutXdgUsesTheSpecDefaults() {
        PlatformPaths paths = PlatformPaths.of("Linux", Map.of("XDG_CONFIG_HOME", " "), HOME);
        assertEquals(Path.of("/home/jane/.config/sipbridge/sipbridge.json"), paths.configFile());
        assertEquals(Path.of("/home/jane/.local/share/sipbridge"), paths.dataDir());
    }

    @Test
    void windowsUsesLocalAppData() {
        PlatformPaths paths = PlatformPaths.of("Windows 11", Map.of("LOCALAPPDATA", "/appdata"), HOME);
        assertEquals(Path.of("/appdata/sipbridge/sipbridge.json"), paths.configFile());
        assertEquals(Path.of("/appdata/sipbridge"), paths.dataDir());
    }

    @Test
    void macUsesApplicationSupport() {
        PlatformPaths paths = PlatformPaths.of("Mac OS X", Map.of(), HOME);
        assertEquals(Path.of("/home/jane/Library/Application Support/sipbridge"), paths.configDir());
    }
}
