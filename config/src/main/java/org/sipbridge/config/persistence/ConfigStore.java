package org.sipbridge.config.persistence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.schema.Setting;
import org.sipbridge.config.schema.SettingCatalog;
import org.sipbridge.config.validation.ConfigException;
import org.sipbridge.config.validation.ConfigValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running configuration. A change is validated as a whole, written to disk atomically, and only
 * then becomes current; services that subscribed to the part that changed are told.
 */
public final class ConfigStore {

    private static final Logger log = LoggerFactory.getLogger(ConfigStore.class);

    private final Path file;
    private final BridgeConfig atStartup;
    private final List<Subscriber<?>> subscribers = new CopyOnWriteArrayList<>();
    private volatile BridgeConfig current;

    /** A store over {@code file}, whose validated content is {@code loaded}. */
    public ConfigStore(Path file, BridgeConfig loaded) throws ConfigException {
        this.file = file;
        this.atStartup = ConfigValidator.requireValid(loaded);
        this.current = loaded;
    }

    public Path file() {
        return file;
    }

    public BridgeConfig current() {
        return current;
    }

    /**
     * Makes {@code candidate} the running config. Nothing changes, on disk or in memory, if it is
     * invalid or cannot be written.
     */
    public synchronized ApplyResult apply(BridgeConfig candidate) throws ConfigException, IOException {
        ConfigValidator.requireValid(candidate);
        BridgeConfig before = current;
        List<String> changed = ConfigDiff.changedKeys(before, candidate);
        if (changed.isEmpty()) {
            return new ApplyResult(List.of(), List.of());
        }
        ConfigFile.save(file, candidate);
        current = candidate;
        log.info("Configuration changed: {}", changed);
        for (Subscriber<?> subscriber : subscribers) {
            subscriber.notifyIfChanged(before, candidate);
        }
        return new ApplyResult(changed, needingRestart(changed));
    }

    /**
     * Calls {@code listener} with the new value of {@code section} whenever an apply changes it, e.g.
     * {@code store.subscribe(BridgeConfig::protocols, this::reconfigure)}.
     */
    public <T> AutoCloseable subscribe(Function<BridgeConfig, T> section, Consumer<? super T> listener) {
        Subscriber<T> subscriber = new Subscriber<>(section, listener);
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /** Keys changed since start that take effect only after a restart. */
    public List<String> pendingRestart() {
        return needingRestart(ConfigDiff.changedKeys(atStartup, current));
    }

    private static List<String> needingRestart(List<String> keys) {
        return keys.stream()
                .filter(key -> SettingCatalog.find(key).map(Setting::needsRestart).orElse(false))
                .toList();
    }

    private record Subscriber<T>(Function<BridgeConfig, T> section, Consumer<? super T> listener) {

        void notifyIfChanged(BridgeConfig before, BridgeConfig after) {
            T value = section.apply(after);
            if (Objects.equals(section.apply(before), value)) {
                return;
            }
            try {
                listener.accept(value);
            } catch (RuntimeException e) {
                // One service failing to reconfigure must not keep the others on the old config.
                log.error("A configuration listener failed", e);
            }
        }
    }
}
