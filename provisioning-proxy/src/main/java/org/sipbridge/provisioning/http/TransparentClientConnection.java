package org.sipbridge.provisioning.http;

import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.client.ClientStatistics;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import org.xnio.ChannelListener;
import org.xnio.Option;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;

/**
 * The upstream connection as {@code ProxyHandler} sees it. Undertow's proxy always adds
 * X-Forwarded-For/-Proto/-Host/-Port/-Server; a transparent proxy must not (they would hand the
 * phone's home LAN address and the bridge's LAN port to the office), so this puts those headers back
 * to exactly what the phone sent. It also notes on the exchange whether the upstream got the request
 * and answered, and why not. Everything else is passed to Undertow's connection unchanged.
 */
final class TransparentClientConnection implements ClientConnection {

    /** The upstream's exchange, once the request went out: it holds the upstream's response. */
    static final AttachmentKey<ClientExchange> UPSTREAM_EXCHANGE = AttachmentKey.create(ClientExchange.class);

    private static final List<HttpString> FORWARDED = List.of(
            Headers.X_FORWARDED_FOR,
            Headers.X_FORWARDED_PROTO,
            Headers.X_FORWARDED_HOST,
            Headers.X_FORWARDED_PORT,
            Headers.X_FORWARDED_SERVER);

    private final ClientConnection delegate;
    private final HttpServerExchange exchange;
    private final Duration idleTimeout;

    TransparentClientConnection(ClientConnection delegate, HttpServerExchange exchange, Duration idleTimeout) {
        this.delegate = delegate;
        this.exchange = exchange;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public void sendRequest(ClientRequest request, ClientCallback<ClientExchange> callback) {
        restoreForwardedHeaders(request.getRequestHeaders(), exchange.getRequestHeaders());
        delegate.sendRequest(request, new ClientCallback<>() {
            @Override
            public void completed(ClientExchange result) {
                exchange.putAttachment(UPSTREAM_EXCHANGE, result);
                callback.completed(new ObservedClientExchange(result, exchange, idleTimeout));
            }

            @Override
            public void failed(IOException e) {
                UpstreamFailure.attachIfAbsent(
                        exchange,
                        new UpstreamFailure(
                                UpstreamFailure.Kind.RELAY,
                                "sending the request failed: " + UpstreamFailure.describe(e)));
                callback.failed(e);
            }
        });
    }

    static void restoreForwardedHeaders(HeaderMap outbound, HeaderMap fromPhone) {
        for (HttpString name : FORWARDED) {
            outbound.remove(name);
            if (fromPhone.contains(name)) {
                outbound.putAll(name, fromPhone.get(name));
            }
        }
    }

    @Override
    public StreamConnection performUpgrade() throws IOException {
        return delegate.performUpgrade();
    }

    @Override
    public ByteBufferPool getBufferPool() {
        return delegate.getBufferPool();
    }

    @Override
    public SocketAddress getPeerAddress() {
        return delegate.getPeerAddress();
    }

    @Override
    public <A extends SocketAddress> A getPeerAddress(Class<A> type) {
        return delegate.getPeerAddress(type);
    }

    @Override
    public ChannelListener.Setter<? extends ClientConnection> getCloseSetter() {
        return delegate.getCloseSetter();
    }

    @Override
    public SocketAddress getLocalAddress() {
        return delegate.getLocalAddress();
    }

    @Override
    public <A extends SocketAddress> A getLocalAddress(Class<A> type) {
        return delegate.getLocalAddress(type);
    }

    @Override
    public XnioWorker getWorker() {
        return delegate.getWorker();
    }

    @Override
    public XnioIoThread getIoThread() {
        return delegate.getIoThread();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    @Override
    public boolean supportsOption(Option<?> option) {
        return delegate.supportsOption(option);
    }

    @Override
    public <T> T getOption(Option<T> option) throws IOException {
        return delegate.getOption(option);
    }

    @Override
    public <T> T setOption(Option<T> option, T value) throws IOException {
        return delegate.setOption(option, value);
    }

    @Override
    public boolean isUpgraded() {
        return delegate.isUpgraded();
    }

    @Override
    public boolean isPushSupported() {
        return delegate.isPushSupported();
    }

    @Override
    public boolean isMultiplexingSupported() {
        return delegate.isMultiplexingSupported();
    }

    @Override
    public ClientStatistics getStatistics() {
        return delegate.getStatistics();
    }

    @Override
    public boolean isUpgradeSupported() {
        return delegate.isUpgradeSupported();
    }

    @Override
    public void addCloseListener(ChannelListener<ClientConnection> listener) {
        delegate.addCloseListener(listener);
    }
}
