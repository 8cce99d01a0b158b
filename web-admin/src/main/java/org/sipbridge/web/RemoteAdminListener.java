package org.sipbridge.web;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import java.net.BindException;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;
import org.sipbridge.config.service.BridgeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The web UI over HTTPS on one address (remote administration over the VPN); see {@link WebAdminServer#remote}. */
final class RemoteAdminListener implements BridgeService {

    private static final Logger log = LoggerFactory.getLogger(RemoteAdminListener.class);

    private final InetSocketAddress address;
    private final SSLContext tls;
    private final HttpHandler handler;
    private Undertow server;

    RemoteAdminListener(InetSocketAddress address, SSLContext tls, HttpHandler handler) {
        this.address = address;
        this.tls = tls;
        this.handler = handler;
    }

    @Override
    public String name() {
        return "remote-admin";
    }

    @Override
    public synchronized void start() throws BindException {
        Undertow candidate = Undertow.builder()
                .addHttpsListener(address.getPort(), address.getAddress().getHostAddress(), tls)
                .setIoThreads(1)
                .setWorkerThreads(2)
                .setHandler(handler)
                .build();
        try {
            candidate.start();
        } catch (RuntimeException e) {
            candidate.stop();
            BindException failure = new BindException("cannot listen on " + address.getAddress().getHostAddress() + ":"
                    + address.getPort() + " for remote administration: " + e.getMessage());
            failure.initCause(e);
            throw failure;
        }
        server = candidate;
        log.info("Remote administration listening on https://{}", hostPort());
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
