package org.sipbridge.config.persistence;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.validation.ConfigException;
import org.sipbridge.config.validation.ConfigProblem;
import org.sipbridge.config.validation.ConfigValidator;
import org.sipbridge.contract.files.AtomicFiles;

/** The config file on disk: read and validated as a whole, replaced atomically. */
public final class ConfigFile {

    private ConfigFile() {}

    /** Reads and validates the file. */
    public static BridgeConfig load(Path file) throws ConfigException, IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw ConfigException.of(ConfigProblem.ofDocument("the file is not UTF-8 text"));
        }
        return ConfigJson.parse(text);
    }

    /** Reads the file, or writes the default config there first if there is none. */
    public static BridgeConfig loadOrCreate(Path file) throws ConfigException, IOException {
        try {
            return load(file);
        } catch (NoSuchFileException e) {
            BridgeConfig defaults = BridgeConfig.defaults();
            save(file, defaults);
            return defaults;
        }
    }

    /** Validates and atomically replaces the file (owner-only, since it may hold station passwords). */
    public static void save(Path file, BridgeConfig config) throws ConfigException, IOException {
        ConfigValidator.requireValid(config);
        AtomicFiles.writeOwnerOnly(file, ConfigJson.format(config).getBytes(StandardCharsets.UTF_8));
    }
}
