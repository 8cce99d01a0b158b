package org.sipbridge.provisioning;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpHandler;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.sipbridge.provisioning.tls.TlsProtocols;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * The proxy's threads and sockets: one XNIO worker (2 I/O threads, a few worker threads for name
 * lookups) shared by the HTTP and the HTTPS listener, both on the LAN address only. Each listener is
 * its own Undertow server so that a port already taken is reported with its own address and port.
 */
final class ProxyServers {

    private static final Logger log = LoggerFactory.getLogger(ProxyServers.class);

    private final XnioWorker worker;
    private final ByteBufferPool pool;
    private final Undertow http;
    private final Undertow https;

    private ProxyServers(XnioWorker worker, ByteBufferPool pool, Undertow http, Undertow https) {
        this.worker = worker;
        this.pool = pool;
        this.http = http;
        this.https = https;
    }

    /**
     * Binds both listeners with the handler chain {@code chain} makes for the worker; on failure
     * releases everything and throws naming the address, port and the system's reason.
     */
    static ProxyServers start(ProvisioningProxyOptions options, ByteBufferPool pool, SSLContext listenerTls,
            Function<XnioWorker, HttpHandler> chain) throws BindException {
        XnioWorker worker;
        try {
            worker = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                    .set(Options.WORKER_NAME, ProvisioningProxyService.NAME)
                    .set(Options.WORKER_IO_THREADS, 2)
                    .set(Options.WORKER_TASK_CORE_THREADS, 2)
                    .set(Options.WORKER_TASK_MAX_THREADS, 4)
                    .set(Options.TCP_NODELAY, true)
                    .getMap());
        } catch (IOException e) {
            pool.close();
            throw new IllegalStateException("cannot start the provisioning proxy's threads", e);
        }
        Undertow http = null;
        try {
            HttpHandler handler = chain.apply(worker);
            String host = options.lanAddress().getHostAddress();
            http = listen(server(options, worker, pool).addHttpListener(options.httpPort(), host, handler),
                    "HTTP", host, options.httpPort());
            Undertow https = listen(server(options, worker, pool)
                    .addHttpsListener(options.httpsPort(), host, listenerTls, handler)
                    .setSocketOption(Options.SSL_ENABLED_PROTOCOLS, TlsProtocols.ENABLED), "HTTPS", host, options.httpsPort());
            return new ProxyServers(worker, pool, http, https);
        } catch (BindException | RuntimeException e) {
            if (http != null) {
                http.stop();
            }
            shutDown(worker, pool);
            throw e;
        }
    }

    InetSocketAddress httpAddress() {
        return (InetSocketAddress) http.getListenerInfo().get(0).getAddress();
    }

    InetSocketAddress httpsAddress() {
        return (InetSocketAddress) https.getListenerInfo().get(0).getAddress();
    }

    /** Closes the listeners, then every open connection with the worker; returns within about 1.5 s. */
    void stop() {
        http.stop();
        https.stop();
        shutDown(worker, pool);
    }

    private static Undertow.Builder server(ProvisioningProxyOptions options, XnioWorker worker, ByteBufferPool pool) {
        int idle = (int) options.idleTimeout().toMillis();
        return Undertow.builder()
                .setWorker(worker)
                .setByteBufferPool(pool)
                .setServerOption(UndertowOptions.ENABLE_HTTP2, false)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 30_000)
                .setSocketOption(Options.READ_TIMEOUT, idle)
                .setSocketOption(Options.WRITE_TIMEOUT, idle);
    }

    private static Undertow listen(Undertow.Builder builder, String protocol, String host, int port) throws BindException {
        Undertow server = builder.build();
        try {
            server.start();
            return server;
        } catch (RuntimeException e) {
            server.stop();
            BindException failure = new BindException("cannot listen for " + protocol + " provisioning on " + host + ":"
                    + port + ": " + rootMessage(e));
            failure.initCause(e);
            throw failure;
        }
    }

    private static void shutDown(XnioWorker worker, ByteBufferPool pool) {
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(1500, TimeUnit.MILLISECONDS)) {
                log.warn("Provisioning proxy threads did not stop within 1.5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
