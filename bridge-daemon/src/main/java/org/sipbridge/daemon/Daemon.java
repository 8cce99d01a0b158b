package org.sipbridge.daemon;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.WebSettings;
import org.sipbridge.config.persistence.ConfigFile;
import org.sipbridge.config.persistence.ConfigStore;
import org.sipbridge.config.validation.ConfigException;
import org.sipbridge.config.validation.ConfigProblem;
import org.sipbridge.contract.files.OwnerOnly;
import org.sipbridge.daemon.management.CentralConfigService;
import org.sipbridge.daemon.phones.PhoneBook;
import org.sipbridge.daemon.tray.StatusTray;
import org.sipbridge.web.WebAdminServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running bridge: loads the config (refusing an invalid one before anything starts), takes the
 * one-instance lock, sets up logging, wires the features (each a {@code *Feature} class that builds and
 * connects its own services), starts the services in order and stops them in reverse on SIGTERM or Ctrl-C.
 */
final class Daemon {

    /** Stopping must finish within 5 s; leave room for the JVM's own exit. */
    private static final Duration STOP_BUDGET = Duration.ofMillis(4500);

    private final RunOptions options;
    private final PrintStream err = System.err;

    Daemon(RunOptions options) {
        this.options = options;
    }

    int run() {
        PlatformPaths paths = PlatformPaths.current();
        Path configFile = options.configFile != null ? options.configFile : paths.configFile();
        Path dataDir = options.dataDir != null ? options.dataDir : paths.dataDir();
        BridgeConfig config;
        InstanceLock lock;
        try {
            config = loadConfig(configFile);
            lock = takeLock();
            ownerOnlyDataFolder(dataDir, lock);
        } catch (Refused e) {
            return e.exitCode;
        }
        LogSetup logs = LogSetup.start(dataDir.resolve("logs"), config.diagnostics(), true);
        Version version = Version.current();
        ConfigStore store = store(configFile, config);
        store.subscribe(BridgeConfig::diagnostics, logs::apply);
        DaemonContext context = new DaemonContext(store, dataDir, Clock.systemUTC(), new SharedHttpWorker());

        MediaFeature media = new MediaFeature(context, logs.logDir());
        // Every phone seen (/api/phones), told by the DHCP responder, the provisioning proxy and the SIP relay.
        PhoneBook phoneBook =
                new PhoneBook(() -> store.current().bridge().maxPhones() + PhoneBook.MARGIN, context.clock());
        SipFeature sip = new SipFeature(context, media.mediaRelay(), phoneBook);
        // Built empty: the status and the adapter watcher use it; the services are added once they exist.
        ServiceManager manager = new ServiceManager();
        RecoveryFeature recovery = new RecoveryFeature(context);
        String machineName = machineName();
        // Central configuration first, so the services after it start with the cached central settings.
        CentralConfigService central = new CentralConfigService(store, dataDir, () -> machineName, context.clock());
        Instant startedAt = Instant.now();
        StatusAggregator status = new StatusAggregator(
                new StatusAggregator.Sources(
                        store::current,
                        context.adapters(),
                        store::pendingRestart,
                        recovery.events()::list,
                        List.of(sip.connection(), manager, media.status(), sip.status(), DscpStatus.ofThisComputer())),
                version.version(),
                machineName,
                startedAt);
        DhcpFeature dhcp = new DhcpFeature(context, phoneBook);
        ProvisioningFeature provisioning = new ProvisioningFeature(context, phoneBook);
        SyslogFeature syslog = new SyslogFeature(context);
        CallsAndPhonesFeature callsAndPhones = new CallsAndPhonesFeature(context, sip, media, phoneBook);
        WebAdminFeature web = new WebAdminFeature(
                context,
                config.web(),
                version,
                new WebAdminFeature.Sources(
                        status::snapshot,
                        () -> AboutFacts.of(version, machineName, startedAt, logs.logDir()),
                        provisioning,
                        dhcp,
                        sip,
                        callsAndPhones,
                        central,
                        MonitoringFeature.metrics(
                                status::snapshot, callsAndPhones, sip, media, dhcp, provisioning, syslog)));
        manager.manage(List.of(
                central,
                media.service(),
                sip.service(),
                web.server(),
                dhcp.service(),
                syslog.service(),
                web.remote(),
                provisioning.service(),
                recovery.watcher(
                        manager, central, media, sip, provisioning.service(), syslog.service(), web.remote())));

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> stop(callsAndPhones, manager, media, context.httpWorker(), lock, logs, stopped),
                        "sipbridge-shutdown"));
        Logger log = LoggerFactory.getLogger(Daemon.class);
        log.info("sipbridge {} starting; config {}, logs {}", version.version(), configFile, logs.logDir());
        manager.startAll();
        callsAndPhones.start();
        showWhereTheUiIs(log, config.web(), manager.isRunning(web.server().name()) ? web.server() : null, status);
        NativeHeapTrim.afterSettling(stopped);
        awaitStop(stopped);
        return ExitCodes.OK;
    }

    /** Until the shutdown hook has stopped everything; an interrupt ends the wait early (exit code 0 as before). */
    private static void awaitStop(CountDownLatch stopped) {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** On SIGTERM or Ctrl-C: stops everything in reverse within the budget, then the logs. */
    private static void stop(
            CallsAndPhonesFeature callsAndPhones,
            ServiceManager manager,
            MediaFeature media,
            SharedHttpWorker httpWorker,
            InstanceLock lock,
            LogSetup logs,
            CountDownLatch stopped) {
        Logger log = LoggerFactory.getLogger(Daemon.class);
        log.info("Stopping sipbridge");
        callsAndPhones.stop();
        manager.stopAll(STOP_BUDGET);
        media.close();
        httpWorker.close(); // last: the web UI and the provisioning proxy ran on it
        try {
            lock.close();
        } catch (IOException e) {
            log.warn("Could not release the instance lock", e);
        }
        log.info("sipbridge stopped");
        logs.stop();
        stopped.countDown();
    }

    /** Why the daemon does not start, as its exit code (the reason is already on stderr). */
    private static final class Refused extends Exception {
        final int exitCode;

        Refused(int exitCode) {
            super(null, null, false, false);
            this.exitCode = exitCode;
        }
    }

    private InstanceLock takeLock() throws Refused {
        try {
            return InstanceLock.acquire(InstanceLock.defaultLockFile());
        } catch (InstanceLock.HeldException e) {
            err.println("sipbridge: " + e.getMessage());
            throw new Refused(ExitCodes.ALREADY_RUNNING);
        } catch (IOException e) {
            err.println("sipbridge: cannot take the one-instance lock: " + e);
            throw new Refused(ExitCodes.FAILURE);
        }
    }

    /** Logs, captures, keys and certificates live here: 0700 whatever umask the daemon started with. */
    private void ownerOnlyDataFolder(Path dataDir, InstanceLock lock) throws Refused {
        try {
            OwnerOnly.directory(dataDir);
        } catch (IOException e) {
            err.println("sipbridge: cannot create the data folder " + dataDir + ": " + e);
            try {
                lock.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw new Refused(ExitCodes.FAILURE);
        }
    }

    /** The web UI's address in the log ({@code web} null when it did not start), and the tray unless --no-tray. */
    private void showWhereTheUiIs(Logger log, WebSettings settings, WebAdminServer web, StatusAggregator status) {
        if (web != null) {
            log.info(
                    "Web UI: http://{}:{}/ (status: /api/status)",
                    hostForUrl(settings.bindAddress()),
                    web.address().getPort());
        }
        if (!options.noTray) {
            StatusTray.showInBackground(
                    status::snapshot, webUi(settings.bindAddress(), settings.port()), () -> System.exit(ExitCodes.OK));
        }
    }

    private static ConfigStore store(Path configFile, BridgeConfig config) {
        try {
            return new ConfigStore(configFile, config);
        } catch (ConfigException e) {
            throw new IllegalStateException("a loaded config failed validation", e);
        }
    }

    /** The config; refused (after saying why on stderr) when it is missing, invalid or unreadable. */
    private BridgeConfig loadConfig(Path configFile) throws Refused {
        try {
            return options.configFile != null ? ConfigFile.load(configFile) : ConfigFile.loadOrCreate(configFile);
        } catch (NoSuchFileException e) {
            err.println("sipbridge: no config file at " + configFile);
        } catch (ConfigException e) {
            err.println("sipbridge: " + configFile + " is not a valid configuration:");
            for (ConfigProblem problem : e.problems()) {
                err.println("  " + problem);
            }
        } catch (IOException e) {
            err.println("sipbridge: cannot read or write " + configFile + ": " + e);
        }
        throw new Refused(ExitCodes.BAD_CONFIG);
    }

    /** The URL a local browser opens: a wildcard bind address is reached through loopback. */
    private static URI webUi(String bindAddress, int port) {
        String host = bindAddress.equals("0.0.0.0") || bindAddress.equals("::") ? "127.0.0.1" : hostForUrl(bindAddress);
        return URI.create("http://" + host + ":" + port + "/");
    }

    private static String hostForUrl(String bindAddress) {
        return bindAddress.contains(":") ? "[" + bindAddress + "]" : bindAddress;
    }

    private static String machineName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "" : env;
        }
    }
}
