package org.sipbridge.config.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.central.CentralDocument;
import org.sipbridge.config.schema.Setting;
import org.sipbridge.config.schema.SettingCatalog;
import org.sipbridge.config.validation.ConfigException;
import org.sipbridge.config.validation.ConfigProblem;
import org.sipbridge.config.validation.ConfigValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running configuration. A change is validated as a whole, written to disk atomically, and only
 * then becomes current; services that subscribed to the part that changed are told.
 *
 * <p>Two layers: the local file, and a central document IT manages ({@link CentralDocument}) whose
 * keys override the file's. The running config is the central document over the file. A local change
 * to a centrally managed key is refused with the reason; a central document is validated the same way
 * and is never written into the local file (removing a key from it gives the local value back).
 */
public final class ConfigStore {

    private static final Logger log = LoggerFactory.getLogger(ConfigStore.class);

    private final Path file;
    private final BridgeConfig atStartup;
    private final List<Subscriber<?>> subscribers = new CopyOnWriteArrayList<>();
    private volatile BridgeConfig local;
    private volatile CentralDocument central = CentralDocument.NONE;
    private volatile BridgeConfig current;

    /** A store over {@code file}, whose validated content is {@code loaded}. */
    public ConfigStore(Path file, BridgeConfig loaded) throws ConfigException {
        this.file = file;
        this.atStartup = ConfigValidator.requireValid(loaded);
        this.local = loaded;
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
        List<ConfigProblem> managed = changed.stream()
                .filter(central::manages)
                .map(key -> new ConfigProblem(key, "is managed centrally by " + central.source() + "; change it there"))
                .toList();
        if (!managed.isEmpty()) {
            throw new ConfigException(managed);
        }
        ObjectNode localTree = (ObjectNode) ConfigJson.toTree(local);
        JsonNode candidateTree = ConfigJson.toTree(candidate);
        for (String key : changed) {
            set(localTree, key, candidateTree);
        }
        BridgeConfig newLocal = ConfigJson.parse(localTree.toString());
        // Clearing management.url ends the central layer in this same apply, so no one sees "off" with managed keys.
        boolean leaving = !newLocal.management().enabled() && !central.isEmpty();
        CentralDocument layer = leaving ? CentralDocument.NONE : central;
        BridgeConfig effective = layer.isEmpty()
                ? newLocal
                : ConfigJson.parse(layer.over(localTree).toString());
        if (leaving) {
            ConfigValidator.requireValid(effective); // the local values alone must stand
        }
        ConfigFile.save(file, newLocal);
        local = newLocal;
        current = effective;
        central = layer;
        notifyChanged(before, effective, changed);
        return new ApplyResult(changed, needingRestart(changed));
    }

    /**
     * Makes {@code document} the central layer: the running config becomes it over the local file.
     * Nothing changes if the result is invalid or the document names a local-only key; the problems
     * name each key. The local file is not written.
     *
     * @return the keys whose value changed
     */
    public synchronized List<String> applyCentral(CentralDocument document) throws ConfigException {
        List<ConfigProblem> localOnly = document.localOnlyProblems();
        if (!localOnly.isEmpty()) {
            throw new ConfigException(localOnly);
        }
        BridgeConfig effective =
                ConfigJson.parse(document.over(ConfigJson.toTree(local)).toString());
        BridgeConfig before = current;
        List<String> changed = ConfigDiff.changedKeys(before, effective);
        current = effective; // before the document, so whoever sees the new document sees its values
        central = document;
        if (!changed.isEmpty()) {
            notifyChanged(before, effective, changed);
        }
        return changed;
    }

    /** The central layer now in force ({@link CentralDocument#NONE} when not centrally managed). */
    public CentralDocument central() {
        return central;
    }

    private void notifyChanged(BridgeConfig before, BridgeConfig effective, List<String> changed) {
        log.info("Configuration changed: {}", changed);
        for (Subscriber<?> subscriber : subscribers) {
            subscriber.notifyIfChanged(before, effective);
        }
    }

    /** Copies the value at catalog key {@code key} (dotted, no list index) from {@code from} into {@code into}. */
    private static void set(ObjectNode into, String key, JsonNode from) {
        String[] parts = key.split("\\.");
        ObjectNode target = into;
        JsonNode source = from;
        for (int i = 0; i < parts.length - 1; i++) {
            target = target.with(parts[i]);
            source = source.path(parts[i]);
        }
        target.set(parts[parts.length - 1], source.path(parts[parts.length - 1]).deepCopy());
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
                .filter(key ->
                        SettingCatalog.find(key).map(Setting::needsRestart).orElse(false))
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
