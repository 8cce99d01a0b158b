package org.sipbridge.web;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.StatusCodes;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.sipbridge.config.AdminSettings;
import org.sipbridge.config.WebSettings;
import org.sipbridge.config.persistence.ConfigStore;
import org.sipbridge.contract.Failures;
import org.sipbridge.contract.api.ProvisioningStatus;
import org.sipbridge.contract.api.SelfCheckReport;
import org.sipbridge.contract.service.BridgeService;
import org.sipbridge.contract.service.StartFailure;
import org.sipbridge.contract.status.BridgeStatus;
import org.sipbridge.web.auth.AuthChain;
import org.sipbridge.web.auth.CredentialsChange;
import org.sipbridge.web.auth.HashGate;
import org.sipbridge.web.auth.LoginLimiter;
import org.sipbridge.web.auth.PasswordCheck;
import org.sipbridge.web.auth.SessionStore;
import org.sipbridge.web.metrics.Metrics;
import org.sipbridge.web.metrics.PrometheusText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioWorker;

/**
 * The web UI and JSON API on {@code web.bindAddress:web.port}. It reads state only through the
 * suppliers the daemon gives it, never from the relays themselves.
 */
public final class WebAdminServer implements BridgeService {

    private static final Logger log = LoggerFactory.getLogger(WebAdminServer.class);
    private static final int MAX_SESSIONS = 1000;

    private final WebSettings settings;
    private final Supplier<BridgeStatus> status;
    private final Supplier<ProvisioningStatus> provisioning;
    private final UpstreamCertificates certificates;
    private final Sessions sessions;
    private Undertow server;
    private AdminSources admin;
    private CentralManagement management;
    private Phones phones = Phones.NONE;
    private Metrics metrics = List::of;
    private Supplier<SelfCheckReport> selfCheck;
    private Clock clock = Clock.systemUTC();
    /** The daemon's worker shared with other services (never shut down here); null: Undertow makes its own. */
    private Supplier<XnioWorker> sharedWorker;

    private SessionStore sessionStore;
    private LoginLimiter loginLimiter;
    private PasswordCheck passwordCheck;

    /** The status API only (provisioning and certificate endpoints answer 404). */
    public WebAdminServer(WebSettings settings, Supplier<BridgeStatus> status) {
        this(settings, status, null, UpstreamCertificates.NONE, Sessions.NONE);
    }

    /**
     * @param provisioning what the DHCP responder and provisioning proxy report (counters, the last
     *                     phone seen, transfers), served as {@code GET /api/provisioning}; null: 404
     */
    public WebAdminServer(
            WebSettings settings,
            Supplier<BridgeStatus> status,
            Supplier<ProvisioningStatus> provisioning,
            UpstreamCertificates certificates,
            Sessions sessions) {
        this.sessions = sessions;
        this.settings = settings;
        this.status = status;
        this.provisioning = provisioning;
        this.certificates = certificates;
    }

    /** Adds {@code GET /api/check}: runs the self-check (a few seconds) and answers its report. */
    public WebAdminServer withSelfCheck(Supplier<SelfCheckReport> selfCheck) {
        this.selfCheck = selfCheck;
        return this;
    }

    /** Adds {@code GET /metrics} (Prometheus text format) over what {@code metrics} collects. */
    public WebAdminServer withMetrics(Metrics metrics) {
        this.metrics = metrics;
        return this;
    }

    /** Adds the configuration API ({@code /api/config}, adapters, about, connection, TLS); call before {@link #start()}. */
    public WebAdminServer withAdmin(AdminSources sources) {
        this.admin = sources;
        return this;
    }

    /** Adds {@code GET /api/phones}: every phone seen, and the phone limit. */
    public WebAdminServer withPhones(Phones value) {
        this.phones = value;
        return this;
    }

    /** Adds {@code /api/management}: central configuration's state, Sync now, trusting its server. */
    public WebAdminServer withManagement(CentralManagement value) {
        this.management = value;
        return this;
    }

    /**
     * Serves on {@code worker}'s XNIO worker (asked at each start) instead of one of its own; a stop closes
     * the listener and leaves that worker running. Call before {@link #start()}.
     */
    public WebAdminServer withWorker(Supplier<XnioWorker> worker) {
        this.sharedWorker = worker;
        return this;
    }

    /** The clock of sessions and login rate limits (tests move it on); call before {@link #start()}. */
    WebAdminServer withClock(Clock value) {
        this.clock = value;
        return this;
    }

    /** Remote administration is optional: a warning. */
    public static final StartFailure REMOTE_START_FAILURE =
            StartFailure.warning("Remote administration needs the VPN adapter and "
                    + "bridge.listenPort free (a port below 1024 needs CAP_NET_BIND_SERVICE); check them and restart.");

    /** The bridge relays calls without its web UI: a warning. */
    public static final StartFailure START_FAILURE = StartFailure.warning(
            "Another program uses this port: stop it, or set web.port to a free port and restart.");

    @Override
    public StartFailure startFailure() {
        return START_FAILURE;
    }

    @Override
    public String name() {
        return "web-admin";
    }

    @Override
    public void start() throws BindException {
        Undertow.Builder builder = Undertow.builder()
                .addHttpListener(settings.port(), settings.bindAddress())
                .setHandler(routes(loopback(settings.bindAddress())));
        Undertow candidate = (sharedWorker == null
                        ? builder.setIoThreads(1).setWorkerThreads(4)
                        : builder.setWorker(sharedWorker.get()))
                .build();
        try {
            candidate.start();
        } catch (RuntimeException e) {
            candidate.stop();
            BindException failure = new BindException("cannot listen on " + settings.bindAddress() + ":"
                    + settings.port() + ": " + Failures.rootMessage(e));
            failure.initCause(e);
            throw failure;
        }
        server = candidate;
        log.info("Web UI and API listening on http://{}", hostPort());
    }

    /** The address actually bound (the port is resolved when 0 was configured). */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    }

    private String hostPort() {
        InetSocketAddress bound = address();
        String host = bound.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    private HttpHandler routes(boolean loopbackListener) {
        HttpHandler pages = StaticPages.handler();
        RoutingHandler api = Handlers.routing()
                .get("/api/status", exchange -> Json.send(exchange, StatusCodes.OK, status.get()))
                .get("/api/check", new BlockingHandler(exchange -> {
                    if (selfCheck == null) {
                        Json.error(exchange, StatusCodes.NOT_FOUND, "the self-check is not available");
                    } else {
                        Json.send(exchange, StatusCodes.OK, selfCheck.get());
                    }
                }))
                .get("/metrics", new BlockingHandler(exchange -> {
                    exchange.getResponseHeaders()
                            .put(io.undertow.util.Headers.CONTENT_TYPE, PrometheusText.CONTENT_TYPE);
                    exchange.getResponseSender().send(PrometheusText.format(metrics.collect()));
                }))
                .get("/api/provisioning", exchange -> {
                    if (provisioning == null) {
                        Json.error(exchange, StatusCodes.NOT_FOUND, "provisioning is not part of this server");
                    } else {
                        Json.send(exchange, StatusCodes.OK, provisioning.get());
                    }
                })
                .get("/api/sessions", exchange -> {
                    java.util.Deque<String> filter =
                            exchange.getQueryParameters().get("filter");
                    Json.send(exchange, StatusCodes.OK, sessions.list(filter == null ? "" : filter.getFirst()));
                })
                .get("/api/phones", exchange -> Json.send(exchange, StatusCodes.OK, phones.list()))
                .get("/api/sessions/{callId}", exchange -> {
                    String callId = exchange.getQueryParameters().get("callId").getFirst();
                    sessions.get(callId)
                            .ifPresentOrElse(
                                    session -> Json.send(exchange, StatusCodes.OK, session),
                                    () -> Json.error(
                                            exchange, StatusCodes.NOT_FOUND, "no session with call-id " + callId));
                })
                .get(
                        "/api/certificates/untrusted",
                        exchange -> certificates
                                .untrusted()
                                .ifPresentOrElse(
                                        chain -> Json.send(exchange, StatusCodes.OK, chain),
                                        () -> Json.error(
                                                exchange, StatusCodes.NOT_FOUND, "no untrusted upstream certificate")))
                .get(
                        "/api/certificates/untrusted/pem",
                        exchange -> certificates
                                .untrustedPem()
                                .ifPresentOrElse(
                                        pem -> PemDownload.send(exchange, pem, "upstream-chain.pem"),
                                        () -> Json.error(
                                                exchange, StatusCodes.NOT_FOUND, "no untrusted upstream certificate")))
                .post("/api/certificates/untrusted/trust", new BlockingHandler(new TrustHandler(certificates::trust)))
                .get(
                        "/api/certificates/provisioning.pem",
                        exchange -> certificates
                                .bridgeCertificatePem()
                                .ifPresentOrElse(
                                        pem -> PemDownload.send(exchange, pem, "sipbridge-provisioning.pem"),
                                        () -> Json.error(
                                                exchange,
                                                StatusCodes.NOT_FOUND,
                                                "the provisioning proxy is not running")))
                .setInvalidMethodHandler(exchange -> Json.error(
                        exchange,
                        StatusCodes.METHOD_NOT_ALLOWED,
                        exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestPath()))
                .setFallbackHandler(exchange -> {
                    if (exchange.getRequestPath().startsWith("/api/")) {
                        Json.error(exchange, StatusCodes.NOT_FOUND, "no such resource: " + exchange.getRequestPath());
                    } else {
                        pages.handleRequest(exchange);
                    }
                });
        if (admin != null) {
            new AdminRoutes(admin).addTo(api);
        }
        if (management != null) {
            new ManagementRoutes(management).addTo(api);
        }
        return Handlers.exceptionHandler(new CanonicalPath(guarded(api, loopbackListener)))
                .addExceptionHandler(Throwable.class, exchange -> {
                    Throwable failure = exchange.getAttachment(io.undertow.server.handlers.ExceptionHandler.THROWABLE);
                    log.error("API request {} failed", exchange.getRequestPath(), failure);
                    Json.error(exchange, StatusCodes.INTERNAL_SERVER_ERROR, "internal error; see the log");
                });
    }

    /** Every route behind the login and CSRF checks (package {@code auth}). */
    private HttpHandler guarded(HttpHandler routes, boolean loopbackListener) {
        Supplier<AdminSettings> credentials = admin == null
                ? AdminSettings::defaults
                : () -> admin.config().current().admin();
        CredentialsChange.Writer writer = admin == null
                ? null
                : value -> {
                    ConfigStore store = admin.config();
                    synchronized (
                            store) { // read-modify-write of the whole config; apply() itself is synchronized on the
                        // store
                        store.apply(store.current().withAdmin(value));
                    }
                };
        return AuthChain.build(routes, credentials, loopbackListener, writer, sessions(), limiter(), passwordCheck());
    }

    /** Shared by the local and the remote listener: one set of sessions, one login limit. */
    private synchronized SessionStore sessions() {
        if (sessionStore == null) {
            sessionStore = new SessionStore(clock, MAX_SESSIONS);
        }
        return sessionStore;
    }

    /** One bound on concurrent password hashes for both listeners. */
    private synchronized PasswordCheck passwordCheck() {
        if (passwordCheck == null) {
            passwordCheck = new PasswordCheck(HashGate.standard());
        }
        return passwordCheck;
    }

    private synchronized LoginLimiter limiter() {
        if (loginLimiter == null) {
            loginLimiter = LoginLimiter.standard(clock);
        }
        return loginLimiter;
    }

    /**
     * The same UI and API over HTTPS on {@code address:port} for remote administration (the VPN
     * adapter at {@code bridge.listenPort}). It never counts as loopback, so it refuses every request
     * while no login is set; the daemon runs it only while one is.
     *
     * @param refusedSource true for a client address that must not be served here, such as one of the
     *                      LAN subnet: Linux accepts packets for the VPN address on the LAN interface too
     */
    public BridgeService remote(InetAddress address, int port, SSLContext tls, Predicate<InetAddress> refusedSource) {
        return new RemoteAdminListener(new InetSocketAddress(address, port), tls, refusedSource, routes(false));
    }

    private static boolean loopback(String bindAddress) {
        try {
            return InetAddress.getByName(bindAddress).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false; // cannot be bound anyway; an open UI is refused
        }
    }
}
