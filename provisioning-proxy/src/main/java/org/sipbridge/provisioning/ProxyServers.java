package org.sipbridge.provisioning;

import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.sipbridge.contract.Failures;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.provisioning.admission.ConnectionAdmission;
import org.sipbridge.provisioning.admission.DescriptorUsage;
import org.sipbridge.provisioning.tls.TlsProtocols;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * The proxy's threads and sockets: one XNIO worker (1 I/O thread, a few task threads for name lookups)
 * for the HTTP and the HTTPS listener, both on the LAN address only. The worker is either given (the
 * daemon's, shared with the web UI: never shut down here) or made here and shut down by {@link #stop()}.
 *
 * <p>The listeners are set up here with XNIO and Undertow's {@link HttpOpenListener} (what
 * {@code Undertow.start()} does inside) rather than with {@code Undertow.builder()}, because the builder
 * offers no hook between accepting a connection and reading from it: {@link ConnectionAdmission} sits
 * there, refusing connections from outside the LAN and beyond the per-address and total limits.
 */
final class ProxyServers {

    private static final Logger log = LoggerFactory.getLogger(ProxyServers.class);

    /** How long a stop waits for the served connections to close, then for the worker's threads to end. */
    private static final Duration CLOSE_BOUND = Duration.ofMillis(500);

    private final XnioWorker worker;
    /** False for a worker given by the caller: other services run on it, so the stop leaves it running. */
    private final boolean ownsWorker;

    private final ByteBufferPool pool;
    private final ServedConnections served;
    private final Listener http;
    private final Listener https;

    /** One bound listener and its admission control. */
    record Listener(AcceptingChannel<? extends StreamConnection> channel, ConnectionAdmission admission) {

        InetSocketAddress address() {
            return channel.getLocalAddress(InetSocketAddress.class);
        }
    }

    private ProxyServers(
            XnioWorker worker,
            boolean ownsWorker,
            ByteBufferPool pool,
            ServedConnections served,
            Listener http,
            Listener https) {
        this.worker = worker;
        this.ownsWorker = ownsWorker;
        this.pool = pool;
        this.served = served;
        this.http = http;
        this.https = https;
    }

    /**
     * Binds both listeners on {@code sharedWorker} (or, when null, on a worker of its own) with the handler
     * chain {@code chain} makes for the worker; on failure releases what it made and throws naming the
     * address, port and the system's reason.
     */
    static ProxyServers start(
            ProvisioningProxyOptions options,
            ByteBufferPool pool,
            SSLContext listenerTls,
            Function<XnioWorker, HttpHandler> chain,
            DescriptorUsage descriptors,
            XnioWorker sharedWorker)
            throws BindException {
        boolean ownsWorker = sharedWorker == null;
        XnioWorker worker;
        try {
            worker = !ownsWorker
                    ? sharedWorker
                    : Xnio.getInstance(ProxyServers.class.getClassLoader())
                            .createWorker(OptionMap.builder()
                                    .set(Options.WORKER_NAME, ProvisioningProxyService.NAME)
                                    // one phone's config and firmware downloads: one I/O thread streams them (#19: a
                                    // desktop daemon's threads are sized for one home, not for the machine's cores)
                                    .set(Options.WORKER_IO_THREADS, 1)
                                    .set(Options.WORKER_TASK_CORE_THREADS, 1)
                                    .set(Options.WORKER_TASK_MAX_THREADS, 4)
                                    .set(Options.TCP_NODELAY, true)
                                    .getMap());
        } catch (IOException e) {
            pool.close();
            throw new IllegalStateException("cannot start the provisioning proxy's threads", e);
        }
        Listener http = null;
        ServedConnections served = new ServedConnections();
        try {
            HttpHandler handler = chain.apply(worker);
            InetSocketAddress httpAddress = new InetSocketAddress(options.lanAddress(), options.httpPort());
            InetSocketAddress httpsAddress = new InetSocketAddress(options.lanAddress(), options.httpsPort());
            Predicate<InetAddress> fromLan = fromSubnet(options.lanSubnet());
            ConnectionAdmission httpAdmission = new ConnectionAdmission(
                    "HTTP",
                    fromLan,
                    options.limits(),
                    descriptors,
                    served.tracking(openListener(options, pool, handler)));
            http = new Listener(
                    bind(
                            "HTTP",
                            httpAddress,
                            () -> worker.createStreamConnectionServer(
                                    httpAddress,
                                    ChannelListeners.openListenerAdapter(httpAdmission),
                                    socketOptions(options).getMap())),
                    httpAdmission);
            UndertowXnioSsl ssl = new UndertowXnioSsl(worker.getXnio(), OptionMap.EMPTY, listenerTls);
            OptionMap tlsOptions = OptionMap.builder()
                    .set(Options.SSL_ENABLED_PROTOCOLS, TlsProtocols.ENABLED)
                    .set(Options.SSL_ENABLED_CIPHER_SUITES, TlsProtocols.LISTENER_CIPHER_SUITES)
                    .getMap();
            ChannelListener<StreamConnection> httpsOpen = served.tracking(openListener(options, pool, handler));
            // Admission looks at the plain TCP connection; TLS starts only on an admitted one, so a refused
            // connection costs no handshake and is closed at once.
            ConnectionAdmission httpsAdmission = new ConnectionAdmission(
                    "HTTPS",
                    fromLan,
                    options.limits(),
                    descriptors,
                    connection -> httpsOpen.handleEvent(ssl.wrapExistingConnection(connection, tlsOptions, false)));
            Listener https = new Listener(
                    bind(
                            "HTTPS",
                            httpsAddress,
                            () -> worker.createStreamConnectionServer(
                                    httpsAddress,
                                    ChannelListeners.openListenerAdapter(httpsAdmission),
                                    socketOptions(options).getMap())),
                    httpsAdmission);
            return new ProxyServers(worker, ownsWorker, pool, served, http, https);
        } catch (BindException | RuntimeException e) {
            if (http != null) {
                IoUtils.safeClose(http.channel());
            }
            shutDown(ownsWorker ? worker : null, pool);
            throw e;
        }
    }

    InetSocketAddress httpAddress() {
        return http.address();
    }

    InetSocketAddress httpsAddress() {
        return https.address();
    }

    ConnectionAdmission httpAdmission() {
        return http.admission();
    }

    ConnectionAdmission httpsAdmission() {
        return https.admission();
    }

    /**
     * Closes the listeners (their ports are free when this returns), then every served connection so that
     * relays under way give their pooled buffers back, then the worker if it is the proxy's own; returns
     * within about 1.5 s whatever the phones or the upstream do.
     */
    void stop() {
        IoUtils.safeClose(http.channel());
        IoUtils.safeClose(https.channel());
        try {
            if (!served.closeAll(CLOSE_BOUND)) {
                log.warn("Provisioning proxy connections did not close within {} ms", CLOSE_BOUND.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutDown(ownsWorker ? worker : null, pool);
    }

    /** IPv4 peers inside the LAN adapter's subnet; nothing else (the lab and the product are IPv4-only). */
    static Predicate<InetAddress> fromSubnet(Ipv4Subnet subnet) {
        return peer -> peer instanceof Inet4Address v4
                && subnet.contains(Ipv4Subnet.of(v4, 32).address());
    }

    private static HttpOpenListener openListener(
            ProvisioningProxyOptions options, ByteBufferPool pool, HttpHandler handler) {
        HttpOpenListener listener = new HttpOpenListener(
                pool,
                OptionMap.builder()
                        .set(UndertowOptions.BUFFER_PIPELINED_DATA, true)
                        // An open connection with no request under way (none yet, or between keep-alive requests)
                        // is closed after this long: idle connections cannot pile up.
                        .set(UndertowOptions.NO_REQUEST_TIMEOUT, (int)
                                options.limits().idle().toMillis())
                        // A request head must arrive within the same time (slowloris).
                        .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int)
                                options.limits().idle().toMillis())
                        .getMap());
        listener.setRootHandler(handler);
        return listener;
    }

    private static OptionMap.Builder socketOptions(ProvisioningProxyOptions options) {
        int idle = (int) options.idleTimeout().toMillis();
        return OptionMap.builder()
                .set(Options.TCP_NODELAY, true)
                .set(Options.REUSE_ADDRESSES, true)
                .set(Options.BACKLOG, 128)
                .set(Options.READ_TIMEOUT, idle)
                .set(Options.WRITE_TIMEOUT, idle);
    }

    @FunctionalInterface
    private interface Binder {
        AcceptingChannel<? extends StreamConnection> bind() throws IOException;
    }

    private static AcceptingChannel<? extends StreamConnection> bind(
            String protocol, InetSocketAddress address, Binder binder) throws BindException {
        try {
            AcceptingChannel<? extends StreamConnection> channel = binder.bind();
            channel.resumeAccepts();
            return channel;
        } catch (IOException | RuntimeException e) {
            BindException failure = new BindException("cannot listen for " + protocol + " provisioning on "
                    + address.getAddress().getHostAddress() + ":" + address.getPort() + ": " + Failures.rootMessage(e));
            failure.initCause(e);
            throw failure;
        }
    }

    /**
     * Lets the worker finish its queued tasks (a name lookup, a late upstream connection being closed) for a
     * short while, then abandons what is left; the pool goes last, when nothing can give a buffer back. A
     * null worker (a shared one, not the proxy's to stop): only the pool.
     */
    private static void shutDown(XnioWorker worker, ByteBufferPool pool) {
        if (worker == null) {
            pool.close();
            return;
        }
        worker.shutdown();
        try {
            if (!worker.awaitTermination(CLOSE_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                worker.shutdownNow();
                if (!worker.awaitTermination(CLOSE_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("Provisioning proxy threads did not stop within {} ms", 2 * CLOSE_BOUND.toMillis());
                }
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
        pool.close();
    }
}
