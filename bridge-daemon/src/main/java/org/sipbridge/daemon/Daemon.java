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
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.BridgeSettings;
import org.sipbridge.config.persistence.ConfigFile;
import org.sipbridge.config.persistence.ConfigStore;
import org.sipbridge.config.validation.ConfigException;
import org.sipbridge.config.validation.ConfigProblem;
import org.sipbridge.contract.files.OwnerOnly;
import org.sipbridge.contract.media.MediaRelay;
import org.sipbridge.contract.media.MediaUnavailableException;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.contract.network.NetworkAdapters;
import org.sipbridge.contract.network.ResolvedAdapter;
import org.sipbridge.daemon.check.SelfCheck;
import org.sipbridge.daemon.management.CentralConfigService;
import org.sipbridge.daemon.phones.PhoneBook;
import org.sipbridge.daemon.recovery.AdapterWatcher;
import org.sipbridge.daemon.recovery.Rebinder;
import org.sipbridge.daemon.recovery.RecentEvents;
import org.sipbridge.daemon.recovery.RelayMover;
import org.sipbridge.daemon.syslog.SyslogReceiver;
import org.sipbridge.daemon.tray.StatusTray;
import org.sipbridge.dhcp.DhcpMetrics;
import org.sipbridge.dhcp.DhcpResponderService;
import org.sipbridge.provisioning.ProvisioningMetrics;
import org.sipbridge.provisioning.ProvisioningProxyOptions;
import org.sipbridge.provisioning.ProvisioningProxyService;
import org.sipbridge.provisioning.inject.InjectionSettings;
import org.sipbridge.provisioning.inject.PhoneConfigStatus;
import org.sipbridge.provisioning.inject.ProvisionedPhones;
import org.sipbridge.rtp.RtpRelayService;
import org.sipbridge.rtp.SessionSnapshot;
import org.sipbridge.rtp.capture.DiagnosticCaptures;
import org.sipbridge.rtp.metrics.RtpMetrics;
import org.sipbridge.sip.SipMetrics;
import org.sipbridge.sip.SipRelayService;
import org.sipbridge.sip.registration.RegistrationMemory;
import org.sipbridge.web.AdminSources;
import org.sipbridge.web.WebAdminServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running bridge: loads the config (refusing an invalid one before anything starts), takes the
 * one-instance lock, sets up logging, starts the services in order and stops them in reverse on
 * SIGTERM or Ctrl-C.
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

        BridgeConfig config = loadConfig(configFile);
        if (config == null) {
            return ExitCodes.BAD_CONFIG;
        }

        InstanceLock lock;
        try {
            lock = InstanceLock.acquire(InstanceLock.defaultLockFile());
        } catch (InstanceLock.HeldException e) {
            err.println("sipbridge: " + e.getMessage());
            return ExitCodes.ALREADY_RUNNING;
        } catch (IOException e) {
            err.println("sipbridge: cannot take the one-instance lock: " + e);
            return ExitCodes.FAILURE;
        }

        try {
            // Logs, captures, keys and certificates live here: 0700 whatever umask the daemon started with.
            OwnerOnly.directory(dataDir);
        } catch (IOException e) {
            err.println("sipbridge: cannot create the data folder " + dataDir + ": " + e);
            try {
                lock.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            return ExitCodes.FAILURE;
        }
        LogSetup logs = LogSetup.start(dataDir.resolve("logs"), config.diagnostics(), true);
        Logger log = LoggerFactory.getLogger(Daemon.class);
        Version version = Version.current();
        ConfigStore store;
        try {
            store = new ConfigStore(configFile, config);
        } catch (ConfigException e) {
            throw new IllegalStateException("a loaded config failed validation", e);
        }
        store.subscribe(BridgeConfig::diagnostics, logs::apply);

        DiagnosticCaptures captures = new DiagnosticCaptures(
                logs.logDir(), dataDir, () -> store.current().media());
        AdapterBoundService<RtpRelayService> rtp = new AdapterBoundService<>(
                "rtp-relay",
                RtpRelayService.START_FAILURE,
                store::current,
                NetworkAdapters::list,
                true,
                (lan, vpn) -> new RtpRelayService(
                                lan.address(),
                                vpn.address(),
                                () -> store.current().media(),
                                RtpRelayService.DEFAULT_INACTIVITY_TIMEOUT,
                                captures)
                        .learningAround(() -> store.current().bridge().servers()));
        MediaRelay media = callId -> rtp.running()
                .orElseThrow(() -> new MediaUnavailableException("the RTP relay is not running"))
                .allocate(callId);
        RegistrationMemory registrationMemory = new RegistrationMemory(); // outlives restarts of the relay
        // Every phone seen (/api/phones), told by the DHCP responder, the provisioning proxy and the SIP relay.
        PhoneBook phoneBook =
                new PhoneBook(() -> store.current().bridge().maxPhones() + PhoneBook.MARGIN, Clock.systemUTC());
        AdapterBoundService<SipRelayService> sip = new AdapterBoundService<>(
                "sip-relay",
                SipRelayService.START_FAILURE,
                store::current,
                NetworkAdapters::list,
                true,
                (lan, vpn) -> new SipRelayService(
                                store::current,
                                media,
                                lan,
                                vpn,
                                dataDir,
                                Clock.systemUTC(),
                                SipRelayService.DEFAULT_PROBE_INTERVAL_MS)
                        .rememberingRegistrationsIn(registrationMemory)
                        .reportingRegistrationsTo(phoneBook::registered));
        sip.follow(store, BridgeConfig::protocols, SipRelayService::protocolsChanged);
        sip.follow(store, c -> c.bridge().servers(), SipRelayService::serversChanged);
        // Built empty: the status and the adapter watcher use it; the services are added once they exist.
        ServiceManager manager = new ServiceManager();
        RecentEvents events = new RecentEvents(Clock.systemUTC());
        SipConnection connection = new SipConnection(sip);
        String machineName = machineName();
        // Central configuration first, so the services after it start with the cached central settings.
        CentralConfigService central = new CentralConfigService(store, dataDir, () -> machineName, Clock.systemUTC());
        Instant startedAt = Instant.now();
        CallQualityWarnings qualityWarnings = new CallQualityWarnings(
                () -> rtp.running().map(RtpRelayService::sessions).orElse(List.of()));
        StatusAggregator status = new StatusAggregator(
                new StatusAggregator.Sources(
                        store::current,
                        NetworkAdapters::list,
                        () -> connection.withReasons(java.util.stream.Stream.concat(
                                        manager.reasons().stream(), qualityWarnings.reasons().stream())
                                .toList()),
                        () -> sip.running().map(SipRelayService::servers).orElse(List.of()),
                        () -> sip.running().map(SipRelayService::registrations).orElse(List.of()),
                        store::pendingRestart,
                        events::list),
                version.version(),
                machineName,
                startedAt);
        DhcpResponderService dhcp = new DhcpResponderService(store::current).onInform(phoneBook::informed);
        store.subscribe(c -> c.bridge().managedPhoneProvisioning(), on -> dhcp.applyConfig());
        // The DHCP socket is bound to the LAN adapter's device: follow it when bridge.lanAdapter changes.
        store.subscribe(c -> c.bridge().lanAdapter(), adapter -> dhcp.applyConfig());
        // Phones told the bridge's address by the Polycom configuration injection; outlives proxy restarts.
        ProvisionedPhones provisionedPhones = new ProvisionedPhones(Clock.systemUTC());
        Supplier<InjectionSettings> injection = () -> InjectionSettings.of(store.current());
        AdapterBoundService<ProvisioningProxyService> provisioning = new AdapterBoundService<>(
                "provisioning-proxy",
                ProvisioningProxyService.START_FAILURE,
                store::current,
                NetworkAdapters::list,
                true,
                (lan, vpn) -> new ProvisioningProxyService(
                                provisioningOptions(store.current().bridge(), lan, vpn, dataDir))
                        .injecting(injection, provisionedPhones)
                        .reportingRequestsTo(phoneBook::requested));
        provisioning.follow(store, c -> c.bridge().provisioningUpstream(), ProvisioningProxyService::updateUpstream);
        SwitchableService provisioningWhenManaged = new SwitchableService(
                provisioning, () -> store.current().bridge().managedPhoneProvisioning());
        store.subscribe(c -> c.bridge().managedPhoneProvisioning(), on -> provisioningWhenManaged.apply());
        org.slf4j.Logger syslogLines = LoggerFactory.getLogger(LogSetup.SYSLOG_LOGGER);
        AdapterBoundService<SyslogReceiver> syslog = new AdapterBoundService<>(
                "syslog-receiver",
                SyslogReceiver.START_FAILURE,
                store::current,
                NetworkAdapters::list,
                false,
                (lan, vpn) -> new SyslogReceiver(
                        lan.address(), store.current().diagnostics().syslogPort(), syslogLines::info));
        SwitchableService syslogWhenEnabled = new SwitchableService(
                syslog, () -> store.current().diagnostics().syslogReceiverEnabled());
        store.subscribe(c -> c.diagnostics().syslogReceiverEnabled(), on -> syslogWhenEnabled.apply());
        store.subscribe(c -> c.diagnostics().syslogPort(), port -> syslogWhenEnabled.restart());
        Supplier<List<SessionSnapshot>> mediaSessions =
                () -> rtp.running().map(RtpRelayService::allSessions).orElse(List.of());
        QualityHistory qualityHistory = new QualityHistory(mediaSessions, Clock.systemUTC());
        CallSessions callSessions = new CallSessions(
                () -> sip.running().map(SipRelayService::calls).orElse(List.of()),
                mediaSessions,
                Clock.systemUTC(),
                qualityHistory);
        PhoneDirectory phones = new PhoneDirectory(
                phoneBook,
                new PhoneDirectory.Sources(
                        () -> store.current().bridge().maxPhones(),
                        () -> sip.running()
                                .map(SipRelayService::registeredPhones)
                                .orElse(0),
                        () -> callSessions.list("")));
        WebAdminServer web = new WebAdminServer(
                        config.web(),
                        status::snapshot,
                        () -> ProvisioningApi.of(
                                dhcp.stats(),
                                provisioning
                                        .running()
                                        .map(ProvisioningProxyService::transfers)
                                        .orElse(List.of()),
                                provisioning
                                        .running()
                                        .map(ProvisioningProxyService::phoneConfig)
                                        .orElseGet(() -> PhoneConfigStatus.of(
                                                injection.get(), Optional.empty(), provisionedPhones))),
                        new ProxyCertificates(provisioning::running),
                        callSessions)
                .withPhones(phones)
                .withAdmin(new AdminSources(
                        store,
                        NetworkAdapters::list,
                        () -> AboutFacts.of(version, machineName, startedAt, logs.logDir()),
                        connection,
                        new SipTlsFacts(
                                sip::running, () -> store.current().protocols().tls())))
                .withSelfCheck(() -> new SelfCheck(
                                store::current,
                                NetworkAdapters::list,
                                DscpProbe::probe,
                                version.buildTime(),
                                Clock.systemUTC())
                        .run(true)
                        .api())
                .withManagement(central)
                .withMetrics(new BridgeMetrics(
                        new BridgeMetrics.Sources(
                                status::snapshot,
                                phones::list,
                                new CertificateExpiries(provisioning::running, sip::running)),
                        new BridgeMetrics.Modules(
                                SipMetrics.of(sip::running),
                                RtpMetrics.of(rtp::running, captures),
                                new DhcpMetrics(dhcp::stats),
                                ProvisioningMetrics.of(provisioning::running),
                                () -> syslog.running()
                                        .map(SyslogReceiver::metrics)
                                        .orElse(List.of()))));
        // Remote administration: the same UI over HTTPS on the VPN adapter at bridge.listenPort, only while a login is
        // set.
        SwitchableService remoteAdmin = new SwitchableService(
                new AdapterBoundService<>(
                        "remote-admin",
                        WebAdminServer.REMOTE_START_FAILURE,
                        store::current,
                        NetworkAdapters::list,
                        true,
                        (lan, vpn) -> remoteAdmin(
                                web, lan, vpn, store.current().bridge().listenPort(), dataDir)),
                () -> store.current().admin().hasCredentials());
        store.subscribe(c -> c.admin().hasCredentials(), on -> remoteAdmin.apply());
        manager.manage(List.of(
                central,
                rtp,
                sip,
                web,
                dhcp,
                syslogWhenEnabled,
                remoteAdmin,
                provisioningWhenManaged,
                new AdapterWatcher(
                        NetworkAdapters::list,
                        () -> store.current().bridge().lanAdapter(),
                        () -> store.current().bridge().vpnAdapter(),
                        () -> System.nanoTime() / 1_000_000,
                        AdapterWatcher.DEBOUNCE_MS,
                        central.syncWhenTheVpnReturns(new Rebinder(
                                java.util.Set.of(
                                        rtp.name(), sip.name(), provisioning.name(), syslog.name(), remoteAdmin.name()),
                                manager::restart,
                                events,
                                new RelayMover(
                                        rtp.name(),
                                        rtp::running,
                                        sip.name(),
                                        sip::running,
                                        () -> org.sipbridge.contract.network.AdapterResolver.resolve(
                                                        store.current().bridge().vpnAdapter(), NetworkAdapters.list())
                                                .adapter()))))));

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.info("Stopping sipbridge");
                            qualityHistory.stop();
                            manager.stopAll(STOP_BUDGET);
                            captures.close();
                            try {
                                lock.close();
                            } catch (IOException e) {
                                log.warn("Could not release the instance lock", e);
                            }
                            log.info("sipbridge stopped");
                            logs.stop();
                            stopped.countDown();
                        },
                        "sipbridge-shutdown"));

        log.info("sipbridge {} starting; config {}, logs {}", version.version(), configFile, logs.logDir());
        manager.startAll();
        qualityHistory.start();
        if (manager.isRunning(web.name())) {
            log.info(
                    "Web UI: http://{}:{}/ (status: /api/status)",
                    hostForUrl(config.web().bindAddress()),
                    web.address().getPort());
        }
        if (!options.noTray) {
            StatusTray.showInBackground(
                    status::snapshot,
                    webUi(config.web().bindAddress(), config.web().port()),
                    () -> System.exit(ExitCodes.OK));
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCodes.OK;
    }

    /** The web UI over HTTPS on the VPN address, refusing every LAN source. */
    private static org.sipbridge.contract.service.BridgeService remoteAdmin(
            WebAdminServer web, ResolvedAdapter lan, ResolvedAdapter vpn, int port, Path dataDir) throws Exception {
        InetAddress address = Ipv4Subnet.parseAddress(vpn.addressText());
        // Linux also accepts packets for the VPN address on the LAN interface: refuse every LAN source.
        java.util.function.Predicate<InetAddress> fromLan = source -> source instanceof java.net.Inet4Address v4
                && lan.adapter().ipv4().stream()
                        .anyMatch(
                                subnet -> subnet.contains(Ipv4Subnet.of(v4, 32).address()));
        return web.remote(
                address,
                port,
                org.sipbridge.contract.tls.ListenerCertificate.generated(
                                dataDir, "remote-admin", "remote administration", List.of(address), Clock.systemUTC())
                        .serverContext(),
                fromLan);
    }

    /** The config, or null (after saying why on stderr) when it is missing, invalid or unreadable. */
    private BridgeConfig loadConfig(Path configFile) {
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
        return null;
    }

    private static ProvisioningProxyOptions provisioningOptions(
            BridgeSettings bridge, ResolvedAdapter lan, ResolvedAdapter vpn, Path dataDir) {
        ProvisioningProxyOptions options = ProvisioningProxyOptions.of(bridge, lan, vpn, dataDir);
        return bridge.provisioningCertificateFile().isEmpty()
                ? options
                : options.withSuppliedCertificate(
                        Path.of(bridge.provisioningCertificateFile()), Path.of(bridge.provisioningPrivateKeyFile()));
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
