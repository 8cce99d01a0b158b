package org.sipbridge.web;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.sipbridge.config.TlsSettings;
import org.sipbridge.contract.service.BridgeService;
import org.sipbridge.contract.service.StartFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.Options;
import org.xnio.Sequence;

/**
 * The web UI over HTTPS on one address (remote administration over the VPN); see {@link WebAdminServer#remote}.
 * TLS 1.3, and TLS 1.2 with ECDHE and AEAD suites only (the SIP TLS defaults). A client whose address
 * is refused (the LAN subnet) gets no answer: its connection is closed at its first request.
 */
final class RemoteAdminListener implements BridgeService {

    private static final Logger log = LoggerFactory.getLogger(RemoteAdminListener.class);
    private static final Sequence<String> PROTOCOLS = Sequence.of("TLSv1.3", "TLSv1.2");
    private static final int MAX_LOGGED_SOURCES = 256;

    private final InetSocketAddress address;
    private final SSLContext tls;
    private final Predicate<InetAddress> refusedSource;
    private final HttpHandler handler;
    /** Refused addresses already logged: one line per address, not one per request. */
    private final Set<InetAddress> loggedRefusals = ConcurrentHashMap.newKeySet();

    private Undertow server;

    RemoteAdminListener(
            InetSocketAddress address, SSLContext tls, Predicate<InetAddress> refusedSource, HttpHandler handler) {
        this.address = address;
        this.tls = tls;
        this.refusedSource = refusedSource;
        this.handler = handler;
    }

    @Override
    public StartFailure startFailure() {
        return WebAdminServer.REMOTE_START_FAILURE;
    }

    @Override
    public String name() {
        return "remote-admin";
    }

    @Override
    public synchronized void start() throws BindException {
        Undertow candidate = Undertow.builder()
                .addHttpsListener(address.getPort(), address.getAddress().getHostAddress(), tls)
                .setSocketOption(Options.SSL_ENABLED_PROTOCOLS, PROTOCOLS)
                .setSocketOption(Options.SSL_ENABLED_CIPHER_SUITES, Sequence.of(TlsSettings.DEFAULT_CIPHER_SUITES))
                .setIoThreads(1)
                .setWorkerThreads(2)
                .setHandler(this::handle)
                .build();
        try {
            candidate.start();
        } catch (RuntimeException e) {
            candidate.stop();
            BindException failure =
                    new BindException("cannot listen on " + address.getAddress().getHostAddress() + ":"
                            + address.getPort() + " for remote administration: " + e.getMessage());
            failure.initCause(e);
            throw failure;
        }
        server = candidate;
        log.info("Remote administration listening on https://{}", hostPort());
    }

    private void handle(HttpServerExchange exchange) throws Exception {
        InetAddress source = exchange.getSourceAddress().getAddress();
        if (refusedSource.test(source)) {
            if (loggedRefusals.size() < MAX_LOGGED_SOURCES && loggedRefusals.add(source)) {
                log.warn(
                        "Remote administration refused a client from {}: that address belongs to the LAN side,"
                                + " and this listener is for the VPN side only",
                        source.getHostAddress());
            }
            IoUtils.safeClose(exchange.getConnection());
            return;
        }
        handler.handleRequest(exchange);
    }

    /** The address actually bound (the port is resolved when 0 was given). */
    synchronized InetSocketAddress bound() {
        return (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    }

    private String hostPort() {
        return bound().getAddress().getHostAddress() + ":" + bound().getPort();
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
            log.info("Remote administration stopped");
        }
    }
}
