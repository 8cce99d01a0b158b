package org.sipbridge.daemon;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where sipbridge keeps its config and data when not told otherwise: the platform's usual per-user
 * folders (Linux XDG, Windows LOCALAPPDATA, macOS Application Support).
 */
record PlatformPaths(Path configDir, Path dataDir) {

    static final String CONFIG_FILE_NAME = "sipbridge.json";

    static PlatformPaths current() {
        return of(System.getProperty("os.name"), System.getenv(), Path.of(System.getProperty("user.home")));
    }

    static PlatformPaths of(String osName, Map<String, String> env, Path home) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String local = env.get("LOCALAPPDATA");
            Path base =
                    nonBlank(local) ? Path.of(local) : home.resolve("AppData").resolve("Local");
            Path dir = base.resolve("sipbridge");
            return new PlatformPaths(dir, dir);
        }
        if (os.startsWith("mac")) {
            Path dir = home.resolve("Library").resolve("Application Support").resolve("sipbridge");
            return new PlatformPaths(dir, dir);
        }
        String config = env.get("XDG_CONFIG_HOME");
        String data = env.get("XDG_DATA_HOME");
        return new PlatformPaths(
                (nonBlank(config) ? Path.of(config) : home.resolve(".config")).resolve("sipbridge"),
                (nonBlank(data) ? Path.of(data) : home.resolve(".local").resolve("share")).resolve("sipbridge"));
    }

    Path configFile() {
        return configDir.resolve(CONFIG_FILE_NAME);
    }

    private static boolean nonBlank(String value) {
        return value != null && !value.isBlank();
    }
}
