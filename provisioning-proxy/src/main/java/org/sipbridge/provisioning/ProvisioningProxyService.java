package org.sipbridge.provisioning;

import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.sipbridge.contract.service.BridgeService;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.service.StartFailure;
import org.sipbridge.contract.tls.CertificateDetails;
import org.sipbridge.contract.tls.ListenerCertificate;
import org.sipbridge.contract.tls.UntrustedChain;
import org.sipbridge.provisioning.admission.ConnectionAdmission;
import org.sipbridge.provisioning.admission.DescriptorUsage;
import org.sipbridge.provisioning.http.ProxyChain;
import org.sipbridge.provisioning.http.UpstreamConnector;
import org.sipbridge.provisioning.http.UpstreamHealth;
import org.sipbridge.provisioning.http.UpstreamUrl;
import org.sipbridge.provisioning.inject.InjectionSettings;
import org.sipbridge.provisioning.inject.PhoneConfigStatus;
import org.sipbridge.provisioning.inject.ProvisionedPhones;
import org.sipbridge.provisioning.tls.UpstreamTrust;
import org.sipbridge.provisioning.transfer.PhoneRequest;
import org.sipbridge.provisioning.transfer.Transfer;
import org.sipbridge.provisioning.transfer.TransferLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioWorker;

/**
 * The phone's provisioning server on the LAN: HTTP and HTTPS listeners on the LAN address that relay
 * every request, streaming, to the office provisioning server over the VPN. Problems are warnings
 * ({@link #reasons()}): a phone that cannot provision keeps its last configuration and still calls.
 *
 * <p>Besides the {@link BridgeService} life cycle it offers what the status page and the certificate
 * API need: {@link #transfers()}, {@link #untrustedUpstream()}, {@link #trustUntrusted(String)},
 * {@link #listenerCertificatePem()}; and {@link #updateUpstream(String)} applies a changed upstream
 * URL at once.
 */
public final class ProvisioningProxyService implements BridgeService {

    public static final String NAME = "provisioning-proxy";
    /** The generated certificate's files in the data folder: provisioning-https-cert.pem / -key.pem. */
    public static final String CERTIFICATE_STEM = "provisioning-https";

    private static final Logger log = LoggerFactory.getLogger(ProvisioningProxyService.class);

    private final ProvisioningProxyOptions options;
    private final Clock clock;
    private final Supplier<ByteBufferPool> buffers;
    private final UpstreamConnector.Resolver resolver;
    private final DescriptorUsage descriptors;
    private final TransferLog transfers;
    private final UpstreamHealth health;
    private volatile Optional<UpstreamUrl> upstream;
    private volatile Supplier<InjectionSettings> injection = () -> InjectionSettings.OFF;
    private volatile ProvisionedPhones provisionedPhones;
    /** The daemon's worker shared with other services (never shut down here); null: the proxy makes its own. */
    private volatile Supplier<XnioWorker> sharedWorker;
    /** Set by start, cleared by stop (both synchronized); read without a lock by the accessors. */
    private volatile Running running;

    /** What a started proxy holds; the servers are released by stop. */
    private record Running(ProxyServers servers, UpstreamTrust trust, ListenerCertificate certificate) {}

    public ProvisioningProxyService(ProvisioningProxyOptions options) {
        this(
                options,
                Clock.systemUTC(),
                () -> new DefaultByteBufferPool(true, 16 * 1024),
                InetAddress::getAllByName,
                DescriptorUsage.ofThisProcess());
    }

    /** For tests: a clock, a buffer pool that can be checked for leaks, a name resolver, the descriptor use. */
    ProvisioningProxyService(
            ProvisioningProxyOptions options,
            Clock clock,
            Supplier<ByteBufferPool> buffers,
            UpstreamConnector.Resolver resolver,
            DescriptorUsage descriptors) {
        this.options = options;
        this.clock = clock;
        this.buffers = buffers;
        this.resolver = resolver;
        this.descriptors = descriptors;
        this.transfers = new TransferLog(clock);
        this.health = new UpstreamHealth(NAME, options.vpnAddress().getHostAddress());
        this.upstream = parse(options.upstream());
        this.provisionedPhones = new ProvisionedPhones(clock);
    }

    /** Reports every finished request with its client's address (the daemon's phone book). Call before start. */
    public ProvisioningProxyService reportingRequestsTo(java.util.function.Consumer<PhoneRequest> listener) {
        transfers.tellFinishedTo(listener);
        return this;
    }

    /**
     * Turns on the Polycom configuration injection (docs/provisioning.md), with settings read at each
     * request, noting the phones served in {@code phones} (which may outlive this service). Call before start.
     */
    public ProvisioningProxyService injecting(Supplier<InjectionSettings> settings, ProvisionedPhones phones) {
        this.injection = settings;
        this.provisionedPhones = phones;
        return this;
    }

    /**
     * Runs the listeners on {@code worker}'s XNIO worker (asked at each start) instead of one of the proxy's
     * own; a stop closes the listeners and the proxy's connections but leaves that worker running. Call
     * before start.
     */
    public ProvisioningProxyService onWorker(Supplier<XnioWorker> worker) {
        this.sharedWorker = worker;
        return this;
    }

    /** Phones already provisioned keep working: a warning. */
    public static final StartFailure START_FAILURE = StartFailure.warning(
            "Another program uses the provisioning port: stop it, or change bridge.provisioningHttpPort / "
                    + "provisioningHttpsPort and restart.");

    @Override
    public StartFailure startFailure() {
        return START_FAILURE;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Loads or makes the HTTPS certificate, loads the pinned upstream certificates, and binds both
     * listeners; throws naming the address, port and the system's reason when a port is taken.
     */
    @Override
    public synchronized void start() throws IOException, GeneralSecurityException {
        if (running != null) {
            throw new IllegalStateException(NAME + " is already running");
        }
        Files.createDirectories(options.dataDir());
        UpstreamTrust trust = UpstreamTrust.load(options.dataDir(), clock);
        ListenerCertificate certificate = options.suppliedCertificate().isPresent()
                ? ListenerCertificate.supplied(
                        options.suppliedCertificate().get().certificatePem(),
                        options.suppliedCertificate().get().privateKeyPem())
                : ListenerCertificate.generated(
                        options.dataDir(),
                        CERTIFICATE_STEM,
                        "HTTPS provisioning",
                        List.of(options.lanAddress()),
                        clock);
        SSLContext upstreamTls = trust.clientContext();
        ProxyServers servers = ProxyServers.start(
                options,
                buffers.get(),
                certificate.serverContext(),
                worker -> ProxyChain.build(
                        transfers,
                        () -> upstream,
                        injection,
                        provisionedPhones,
                        new UpstreamConnector(
                                options.vpnAddress(),
                                worker.getXnio(),
                                upstreamTls,
                                options.connectTimeout(),
                                options.idleTimeout(),
                                resolver),
                        health,
                        trust),
                descriptors,
                sharedWorker == null ? null : sharedWorker.get());
        running = new Running(servers, trust, certificate);
        log.info(
                "Provisioning proxy listening on http://{} and https://{}, relaying to {} from {}",
                hostPort(servers.httpAddress()),
                hostPort(servers.httpsAddress()),
                upstream.map(UpstreamUrl::text).orElse("(no upstream)"),
                options.vpnAddress().getHostAddress());
    }

    /** Closes both listeners, then every open connection (see README "Stopping"); returns within about 1.5 s. */
    @Override
    public synchronized void stop() {
        Running current = running;
        running = null;
        if (current != null) {
            current.servers().stop();
        }
    }

    @Override
    public List<Reason> reasons() {
        List<Reason> reasons = new java.util.ArrayList<>(health.reasons(upstream));
        phoneConfig().warning(NAME).ifPresent(reasons::add);
        return reasons;
    }

    /** The Polycom configuration injection for the status page: settings now, phones served, who must provision again. */
    public PhoneConfigStatus phoneConfig() {
        return PhoneConfigStatus.of(
                injection.get(), Optional.of(options.lanAddress().getHostAddress()), provisionedPhones);
    }

    /** Applies a changed {@code bridge.provisioningUpstream} (empty: none) to the next requests. */
    public void updateUpstream(String url) {
        Optional<UpstreamUrl> parsed = parse(url);
        if (!parsed.equals(upstream)) {
            upstream = parsed;
            Running current = running;
            if (current != null) {
                current.trust().forget();
            }
            log.info(
                    "Provisioning upstream is now {}",
                    parsed.map(UpstreamUrl::text).orElse("(none)"));
        }
    }

    /** The HTTP listener's bound address (the port is the actual one when 0 was configured). */
    public InetSocketAddress httpAddress() {
        return requireRunning().servers().httpAddress();
    }

    public InetSocketAddress httpsAddress() {
        return requireRunning().servers().httpsAddress();
    }

    /** Connections refused so far by the HTTP and the HTTPS listener together, by reason (for the status page). */
    public Map<ConnectionAdmission.Refusal, Long> refusedConnections() {
        Running current = running;
        Map<ConnectionAdmission.Refusal, Long> total = new EnumMap<>(ConnectionAdmission.Refusal.class);
        if (current != null) {
            current.servers().httpAdmission().refused().forEach((reason, n) -> total.merge(reason, n, Long::sum));
            current.servers().httpsAdmission().refused().forEach((reason, n) -> total.merge(reason, n, Long::sum));
        }
        return total;
    }

    /** Connections open now through both listeners. */
    public int openConnections() {
        Running current = running;
        return current == null
                ? 0
                : current.servers().httpAdmission().open()
                        + current.servers().httpsAdmission().open();
    }

    /** Transfers under way, then the last finished ones (at most 50, at most 10 minutes old). */
    public List<Transfer> transfers() {
        return transfers.snapshot();
    }

    /** The upstream chain refused last, while the upstream still presents it; empty otherwise. */
    public Optional<UntrustedChain> untrustedUpstream() {
        Running current = running;
        return current == null ? Optional.empty() : current.trust().untrusted();
    }

    /** The refused chain as PEM, for download. */
    public Optional<String> untrustedChainPem() {
        return untrustedUpstream().map(UntrustedChain::pem);
    }

    /**
     * Pins the leaf certificate of the refused chain (persisted atomically; survives restarts) so the
     * next request goes through. Pass the SHA-256 fingerprint the page showed: if the server presents
     * another certificate by now, nothing is pinned.
     *
     * @return the pinned certificate
     * @throws IllegalStateException    not running, nothing to trust, or trusting would not help
     *                                  (e.g. the certificate names another host)
     * @throws IllegalArgumentException the fingerprint is not the refused certificate's
     */
    public CertificateDetails trustUntrusted(String expectedSha256Fingerprint)
            throws IOException, GeneralSecurityException {
        return requireRunning().trust().trust(expectedSha256Fingerprint);
    }

    /** Pins whatever was refused last; prefer {@link #trustUntrusted(String)} from a user interface. */
    public CertificateDetails trustUntrusted() throws IOException, GeneralSecurityException {
        return trustUntrusted(null);
    }

    /** The certificates pinned so far (and any IT added to the file by hand). */
    public List<CertificateDetails> pinnedCertificates() {
        return requireRunning().trust().pinned();
    }

    /** The HTTPS listener's certificate, as phones see it. */
    public CertificateDetails listenerCertificate() {
        return CertificateDetails.of(requireRunning().certificate().certificate());
    }

    /** The HTTPS listener's certificate chain as PEM: what IT installs on phones as a trusted certificate. */
    public String listenerCertificatePem() {
        return requireRunning().certificate().pem();
    }

    private Running requireRunning() {
        Running current = running;
        if (current == null) {
            throw new IllegalStateException(NAME + " is not running");
        }
        return current;
    }

    private static Optional<UpstreamUrl> parse(String url) {
        return url == null || url.isBlank() ? Optional.empty() : Optional.of(UpstreamUrl.parse(url));
    }

    private static String hostPort(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
