package org.sipbridge.provisioning.http;

import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.UndertowClient;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyClient;
import io.undertow.server.handlers.proxy.ProxyConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.sipbridge.provisioning.tls.TlsProtocols;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.ssl.XnioSsl;

/**
 * Gives Undertow's {@code ProxyHandler} a connection to the upstream for each request: opened with
 * Undertow's own HTTP client, from the VPN adapter's address, within a connect timeout, and with the
 * host name looked up off the I/O thread. When it cannot, the exact cause goes on the exchange.
 *
 * <p>Why not {@code LoadBalancingProxyClient}: its pool swallows the connect error (refused, no
 * route...) so the status page could not say why the upstream is unreachable; it has no connect
 * timeout (XNIO has none, and an unanswered SYN over a dead VPN would hold the phone for minutes);
 * it resolves the host name on the I/O thread; and pooled connections outlive a VPN reconnect. A
 * provisioning phone makes a handful of requests per boot, so one connection per request costs a TCP
 * (and TLS) handshake over the VPN each, which is nothing next to a firmware download.
 */
public final class UpstreamConnector implements ProxyClient {

    private static final ProxyTarget TARGET = new ProxyTarget() {};

    /** How a host name becomes addresses; the JDK resolver, replaceable in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final InetSocketAddress bindAddress;
    private final XnioSsl ssl;
    private final OptionMap options;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final Resolver resolver;
    private final Map<String, CompletableFuture<Void>> lookups = new ConcurrentHashMap<>();

    /**
     * @param vpnAddress     the address upstream connections come from
     * @param xnio           the XNIO instance of the proxy's worker
     * @param upstreamTls    TLS for https upstreams (the upstream trust decides)
     * @param connectTimeout how long a connection (name lookup and TCP connect) may take
     * @param idleTimeout    how long an upstream connection may stall mid-request
     */
    public UpstreamConnector(
            InetAddress vpnAddress,
            Xnio xnio,
            SSLContext upstreamTls,
            Duration connectTimeout,
            Duration idleTimeout,
            Resolver resolver) {
        this.bindAddress = new InetSocketAddress(vpnAddress, 0);
        this.ssl = new UndertowXnioSsl(xnio, OptionMap.EMPTY, upstreamTls);
        this.options = OptionMap.builder()
                .set(Options.TCP_NODELAY, true)
                .set(Options.READ_TIMEOUT, (int) idleTimeout.toMillis())
                .set(Options.WRITE_TIMEOUT, (int) idleTimeout.toMillis())
                .set(Options.SSL_ENABLED_PROTOCOLS, TlsProtocols.ENABLED)
                .getMap();
        this.connectTimeout = connectTimeout;
        this.idleTimeout = idleTimeout;
        this.resolver = resolver;
    }

    @Override
    public ProxyTarget findTarget(HttpServerExchange exchange) {
        return TARGET;
    }

    @Override
    public void getConnection(
            ProxyTarget target,
            HttpServerExchange exchange,
            ProxyCallback<ProxyConnection> callback,
            long timeout,
            TimeUnit timeUnit) {
        UpstreamUrl upstream = exchange.getAttachment(UpstreamUrl.KEY);
        Attempt attempt = new Attempt(exchange, callback, upstream);
        attempt.start();
    }

    /**
     * The lookup of {@code host} on a worker thread, joined by every request that asks while it runs: the
     * worker's task threads are shared with the web UI (the daemon's one HTTP worker), so a LAN device that
     * floods the proxy while the name server is slow must hold one of them, not all (#19).
     */
    private CompletableFuture<Void> lookup(String host, Executor worker) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = lookups.putIfAbsent(host, mine);
        if (running != null) {
            return running;
        }
        try {
            worker.execute(() -> {
                try {
                    resolver.resolve(host);
                    mine.complete(null);
                } catch (UnknownHostException | RuntimeException e) {
                    mine.completeExceptionally(e);
                } finally {
                    lookups.remove(host, mine);
                }
            });
        } catch (RuntimeException rejected) { // the worker is stopping
            lookups.remove(host, mine);
            mine.completeExceptionally(rejected);
        }
        return mine;
    }

    static String readable(Duration duration) {
        if (duration.toMillis() % 60_000 == 0) {
            return duration.toMinutes() + " min";
        }
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /**
     * One connection attempt. Every step runs on the exchange's I/O thread (the lookup hops to a
     * worker thread and back), so the single-outcome flag needs no lock.
     */
    private final class Attempt implements ClientCallback<ClientConnection> {

        private final HttpServerExchange exchange;
        private final ProxyCallback<ProxyConnection> callback;
        private final UpstreamUrl upstream;
        private final XnioIoThread ioThread;
        private XnioExecutor.Key timer;
        private boolean decided;

        Attempt(HttpServerExchange exchange, ProxyCallback<ProxyConnection> callback, UpstreamUrl upstream) {
            this.exchange = exchange;
            this.callback = callback;
            this.upstream = upstream;
            this.ioThread = exchange.getIoThread();
        }

        void start() {
            timer = ioThread.executeAfter(this::timedOut, connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (upstream.hostIsLiteral()) {
                connect();
                return;
            }
            // The JDK caches the answer, so Undertow's own lookup when connecting finds it at once.
            String host = upstream.unbracketedHost();
            lookup(host, exchange.getConnection().getWorker()).whenComplete((resolved, error) -> {
                if (error == null) {
                    ioThread.execute(this::connect);
                } else if (error instanceof UnknownHostException) {
                    ioThread.execute(() -> fail(new UpstreamFailure(
                            UpstreamFailure.Kind.NAME_RESOLUTION,
                            "no address for " + host + " (" + UpstreamFailure.describe(error) + ")")));
                } else {
                    ioThread.execute(() ->
                            fail(new UpstreamFailure(UpstreamFailure.Kind.CONNECT, UpstreamFailure.describe(error))));
                }
            });
        }

        private void connect() {
            if (decided) {
                return;
            }
            try {
                UndertowClient.getInstance()
                        .connect(
                                this,
                                bindAddress,
                                upstream.connectUri(),
                                ioThread,
                                upstream.secure() ? ssl : null,
                                exchange.getConnection().getByteBufferPool(),
                                options);
            } catch (RuntimeException e) {
                fail(new UpstreamFailure(UpstreamFailure.Kind.CONNECT, UpstreamFailure.describe(e)));
            }
        }

        @Override
        public void completed(ClientConnection connection) {
            if (decided || exchange.isComplete()) {
                IoUtils.safeClose(connection);
                return;
            }
            decided = true;
            timer.remove();
            exchange.addExchangeCompleteListener((ex, next) -> {
                IoUtils.safeClose(connection);
                next.proceed();
            });
            callback.completed(
                    exchange,
                    new ProxyConnection(
                            new TransparentClientConnection(connection, exchange, idleTimeout), upstream.basePath()));
        }

        @Override
        public void failed(IOException e) {
            fail(new UpstreamFailure(UpstreamFailure.Kind.CONNECT, UpstreamFailure.describe(e)));
        }

        private void timedOut() {
            fail(new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, "no connection within " + readable(connectTimeout)));
        }

        private void fail(UpstreamFailure failure) {
            if (decided) {
                return;
            }
            decided = true;
            timer.remove();
            UpstreamFailure.attachIfAbsent(exchange, failure);
            callback.failed(exchange);
        }
    }
}
