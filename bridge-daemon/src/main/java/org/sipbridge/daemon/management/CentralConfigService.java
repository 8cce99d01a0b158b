package org.sipbridge.daemon.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.ManagementSettings;
import org.sipbridge.config.central.CentralDocument;
import org.sipbridge.config.persistence.ConfigStore;
import org.sipbridge.config.validation.ConfigException;
import org.sipbridge.contract.Failures;
import org.sipbridge.contract.LogText;
import org.sipbridge.contract.files.AtomicFiles;
import org.sipbridge.contract.service.BridgeService;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.service.StartFailure;
import org.sipbridge.contract.tls.CertificateDetails;
import org.sipbridge.contract.tls.UntrustedChain;
import org.sipbridge.daemon.recovery.AdapterWatcher;
import org.sipbridge.provisioning.tls.UpstreamTrust;
import org.sipbridge.web.CentralManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Central configuration ({@code management.*}): fetches this bridge's document at start, every
 * {@code management.pollSeconds} (±10 % so a fleet does not arrive together), when the settings change,
 * when the VPN adapter becomes usable again, and on Sync now; applies it as the
 * config store's central layer; keeps the last good one in the data folder so the bridge starts with
 * it when the server is unreachable. A bad document is refused as a whole and the running config kept.
 *
 * <p>Threading: every fetch and apply runs on the service's single scheduler thread; the view is read
 * from volatile fields by the web UI. That thread exists only while there is something to do: it starts
 * when management is on (at start, on a settings change, Sync now or the VPN's return) and ends when
 * a poll finds management off, so the default, unmanaged bridge keeps no idle thread for it (#19).
 */
public final class CentralConfigService implements BridgeService, CentralManagement {

    public static final String NAME = "central-config";
    static final String CACHE_FILE = "central-config.json";
    static final String PINS_FILE = "management-server-trusted.pem";
    private static final Logger log = LoggerFactory.getLogger(CentralConfigService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConfigStore store;
    private final Path dataDir;
    private final Supplier<String> hostName;
    private final Clock clock;
    /** Loaded at the first start (a damaged pins file is then a start failure with its reason, not a crash). */
    private volatile UpstreamTrust trust;

    private volatile SSLContext tls;
    /** Made by the first fetch: an HTTP client keeps a selector thread (and its wake-ups) while it exists. */
    private CentralConfigClient client;
    /**
     * Guards {@link #scheduler} and {@link #started}; its holders take no other lock (the store calls
     * {@link #syncNow} while holding its own, and start holds {@code this} while applying to the store).
     */
    private final Object threadLock = new Object();
    /** Null while stopped or while management is off. */
    private ScheduledExecutorService scheduler;
    /** Between start and stop. */
    private boolean started;

    private AutoCloseable subscription;

    private volatile Instant lastSync;
    private volatile Instant lastAttempt;
    private volatile String problem;
    private volatile String lastAppliedUrl = "";

    public CentralConfigService(ConfigStore store, Path dataDir, Supplier<String> hostName, Clock clock) {
        this.store = store;
        this.dataDir = dataDir;
        this.hostName = hostName;
        this.clock = clock;
    }

    /** The bridge runs on its cached or local settings: a warning. */
    public static final StartFailure START_FAILURE =
            StartFailure.warning("See the Bridge page for the central configuration's state.");

    @Override
    public StartFailure startFailure() {
        return START_FAILURE;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized void start() throws IOException, GeneralSecurityException {
        if (trust == null) {
            trust = UpstreamTrust.load(dataDir.resolve(PINS_FILE), "central configuration server", clock);
            tls = trust.clientContext();
        }
        synchronized (threadLock) {
            started = true;
        }
        subscription = store.subscribe(BridgeConfig::management, changed -> syncNow());
        // Synchronously, so the services started after this one start with the cached central settings.
        startFromCache();
        if (store.current().management().enabled()) {
            syncNow();
        } else {
            leave(); // what the first poll did when off (a cache of an earlier URL goes), without a thread
        }
    }

    @Override
    public synchronized void stop() {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                // removing a subscriber cannot fail
            }
        }
        synchronized (threadLock) {
            started = false;
            if (scheduler != null) {
                scheduler.shutdownNow();
                scheduler = null;
            }
        }
    }

    @Override
    public List<Reason> reasons() {
        String failing = problem;
        if (failing == null || !store.current().management().enabled()) {
            return List.of();
        }
        CentralDocument central = store.central();
        String keeping = central.isEmpty()
                ? "the bridge runs on its local settings"
                : "the bridge keeps the settings of version " + central.version() + " from " + central.source();
        return List.of(Reason.warning(
                NAME,
                "Central configuration: " + failing + "; " + keeping,
                "Check management.url and that the server is reachable over the VPN; on an untrusted certificate, "
                        + "review and trust it on the Bridge page."));
    }

    @Override
    public View view() {
        ManagementSettings settings = store.current().management();
        CentralDocument central = store.central();
        String state =
                !settings.enabled() ? "off" : problem != null ? "failing" : central.isEmpty() ? "waiting" : "managed";
        java.util.Optional<UntrustedChain> refused = trust == null ? java.util.Optional.empty() : trust.untrusted();
        return new View(
                state,
                settings.url(),
                central.source(),
                central.version(),
                lastSync,
                lastAttempt,
                problem,
                central.managedKeys(),
                refused.map(UntrustedChain::certificates).orElse(List.of()),
                refused.map(UntrustedChain::problem).orElse(null));
    }

    /** A poll now, on the scheduler thread; makes that thread (and its periodic polls) when there is none. */
    @Override
    public void syncNow() {
        synchronized (threadLock) {
            if (!started) {
                return;
            }
            if (scheduler == null) {
                ScheduledThreadPoolExecutor made = new ScheduledThreadPoolExecutor(1, runnable -> {
                    Thread thread = new Thread(runnable, NAME);
                    thread.setDaemon(true);
                    return thread;
                });
                // Ending the thread drops the next periodic poll instead of waiting for it.
                made.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
                scheduler = made;
                scheduler.execute(this::pollAndReschedule);
            } else {
                scheduler.execute(() -> {
                    poll();
                    endIfOff();
                });
            }
        }
    }

    /** Whether the scheduler thread exists (tests: none while management is off). */
    boolean hasPollingThread() {
        synchronized (threadLock) {
            return scheduler != null;
        }
    }

    /** {@code next}, then a sync whenever the VPN adapter has become usable (the server is reachable again). */
    public AdapterWatcher.Listener syncWhenTheVpnReturns(AdapterWatcher.Listener next) {
        return (before, after) -> {
            next.changed(before, after);
            if (!before.vpn().usable() && after.vpn().usable()) {
                syncNow();
            }
        };
    }

    @Override
    public CertificateDetails trust(String sha256Fingerprint) throws Exception {
        if (trust == null) {
            throw new IllegalStateException("central configuration is not running");
        }
        CertificateDetails pinned = trust.trust(sha256Fingerprint);
        syncNow();
        return pinned;
    }

    private void pollAndReschedule() {
        poll();
        synchronized (threadLock) {
            ScheduledExecutorService running = scheduler;
            if (running == null || running.isShutdown() || endIfOff()) {
                return;
            }
            long seconds = store.current().management().pollSeconds();
            long delayMs = (long)
                    (seconds * 1000 * (0.9 + 0.2 * ThreadLocalRandom.current().nextDouble()));
            running.schedule(this::pollAndReschedule, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * On the scheduler thread after a poll: when management is off, this thread ends after its task
     * (turning management on or Sync now makes a new one). store.current() takes no lock. Turning
     * management on calls syncNow, which waits for threadLock: it either ran before (management reads
     * as on here, so the thread stays) or runs after (no scheduler then, so it makes a new thread).
     */
    private boolean endIfOff() {
        synchronized (threadLock) {
            ScheduledExecutorService running = scheduler;
            if (running == null
                    || running.isShutdown()
                    || store.current().management().enabled()) {
                return false;
            }
            scheduler = null;
            running.shutdown();
            return true;
        }
    }

    /** One attempt: fetch, validate and apply, or record why not. Runs on the scheduler thread only. */
    private void poll() {
        ManagementSettings settings = store.current().management();
        if (!settings.enabled()) {
            leave();
            return;
        }
        lastAttempt = clock.instant();
        try {
            if (client == null) {
                client = new CentralConfigClient(tls);
            }
            CentralDocument document = client.fetch(settings, bridgeId());
            List<String> changed = store.applyCentral(document);
            cache(settings.url(), document);
            if (!changed.isEmpty() || !settings.url().equals(lastAppliedUrl)) {
                log.info(
                        "Central configuration {} (version {}) applied; changed: {}",
                        LogText.escapeControls(document.source()),
                        document.version(),
                        changed);
            }
            lastAppliedUrl = settings.url();
            lastSync = clock.instant();
            problem = null;
        } catch (ConfigException e) {
            fail("refused " + settings.url() + ": "
                    + e.problems().stream().map(Object::toString).toList());
        } catch (CentralConfigClient.BadDocumentException e) {
            fail("refused " + e.getMessage());
        } catch (IOException e) {
            fail("cannot fetch from " + settings.url() + ": " + Failures.rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fail("cannot fetch from " + settings.url() + ": " + e);
        }
    }

    private void fail(String why) {
        String escaped = LogText.escapeControls(why);
        if (!escaped.equals(problem)) {
            log.warn("Central configuration {}", escaped);
        }
        problem = escaped;
    }

    /** management.url was cleared: every centrally managed key goes back to its local value. */
    private void leave() {
        problem = null;
        lastAppliedUrl = "";
        try {
            Files.deleteIfExists(dataDir.resolve(CACHE_FILE));
        } catch (IOException e) {
            log.warn("Cannot delete {}: {}", dataDir.resolve(CACHE_FILE), e.getMessage());
        }
        if (!store.central().isEmpty()) {
            try {
                store.applyCentral(CentralDocument.NONE);
                log.info("Central configuration off: local settings in force again");
            } catch (ConfigException e) {
                log.warn("The local settings alone are not valid; keeping the central ones: {}", e.problems());
            }
        }
    }

    /** At start, before the first fetch: the last good document of the same URL, so the bridge works offline. */
    private void startFromCache() {
        ManagementSettings settings = store.current().management();
        Path file = dataDir.resolve(CACHE_FILE);
        if (!settings.enabled() || !Files.exists(file)) {
            return;
        }
        try {
            JsonNode cached = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            if (!settings.url().equals(cached.path("url").asText())) {
                return;
            }
            CentralDocument document = new CentralDocument(
                    (ObjectNode) cached.path("settings"),
                    cached.path("source").asText(),
                    cached.path("version").asText());
            store.applyCentral(document);
            lastAppliedUrl = settings.url();
            log.info(
                    "Central configuration version {} from the cache ({}) applied until the server answers",
                    document.version(),
                    LogText.escapeControls(document.source()));
        } catch (IOException | ClassCastException e) {
            log.warn("Cannot read the cached central configuration {}: {}", file, e.getMessage());
        } catch (ConfigException e) {
            log.warn("The cached central configuration is not valid with this version: {}", e.problems());
        }
    }

    private void cache(String url, CentralDocument document) throws IOException {
        ObjectNode cached = JSON.createObjectNode();
        cached.put("url", url);
        cached.put("source", document.source());
        cached.put("version", document.version());
        cached.put("fetched", clock.instant().toString());
        cached.set("settings", document.settings());
        AtomicFiles.writeOwnerOnly(
                dataDir.resolve(CACHE_FILE), cached.toPrettyString().getBytes(StandardCharsets.UTF_8));
    }

    private String bridgeId() {
        String name = store.current().bridge().name();
        return name.isBlank() ? hostName.get() : name;
    }
}
