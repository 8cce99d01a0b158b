package org.sipbridge.provisioning.http;

import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.client.ClientResponse;
import io.undertow.client.ContinueNotification;
import io.undertow.client.PushCallback;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.xnio.channels.ReadTimeoutException;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

/**
 * The upstream exchange as {@code ProxyHandler} sees it, so that when waiting for the upstream's
 * answer fails, the reason (a stall past the idle timeout, a reset) is noted on the phone's exchange;
 * {@code ProxyHandler} itself only logs it. Everything else goes to Undertow's exchange unchanged.
 */
final class ObservedClientExchange implements ClientExchange {

    private final ClientExchange delegate;
    private final HttpServerExchange exchange;
    private final Duration idleTimeout;

    ObservedClientExchange(ClientExchange delegate, HttpServerExchange exchange, Duration idleTimeout) {
        this.delegate = delegate;
        this.exchange = exchange;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public void setResponseListener(ClientCallback<ClientExchange> listener) {
        delegate.setResponseListener(new ClientCallback<>() {
            @Override
            public void completed(ClientExchange result) {
                listener.completed(result);
            }

            @Override
            public void failed(IOException e) {
                UpstreamFailure.attachIfAbsent(
                        exchange,
                        e instanceof ReadTimeoutException
                                ? new UpstreamFailure(
                                        UpstreamFailure.Kind.TIMEOUT,
                                        "no answer within " + UpstreamConnector.readable(idleTimeout))
                                : new UpstreamFailure(
                                        UpstreamFailure.Kind.RELAY,
                                        "waiting for the answer failed: " + UpstreamFailure.describe(e)));
                listener.failed(e);
            }
        });
    }

    @Override
    public void setContinueHandler(ContinueNotification continueHandler) {
        delegate.setContinueHandler(continueHandler);
    }

    @Override
    public void setPushHandler(PushCallback pushCallback) {
        delegate.setPushHandler(pushCallback);
    }

    @Override
    public StreamSinkChannel getRequestChannel() {
        return delegate.getRequestChannel();
    }

    @Override
    public StreamSourceChannel getResponseChannel() {
        return delegate.getResponseChannel();
    }

    @Override
    public ClientRequest getRequest() {
        return delegate.getRequest();
    }

    @Override
    public ClientResponse getResponse() {
        return delegate.getResponse();
    }

    @Override
    public ClientResponse getContinueResponse() {
        return delegate.getContinueResponse();
    }

    @Override
    public ClientConnection getConnection() {
        return delegate.getConnection();
    }

    @Override
    public <T> T getAttachment(AttachmentKey<T> key) {
        return delegate.getAttachment(key);
    }

    @Override
    public <T> List<T> getAttachmentList(AttachmentKey<? extends List<T>> key) {
        return delegate.getAttachmentList(key);
    }

    @Override
    public <T> T putAttachment(AttachmentKey<T> key, T value) {
        return delegate.putAttachment(key, value);
    }

    @Override
    public <T> T removeAttachment(AttachmentKey<T> key) {
        return delegate.removeAttachment(key);
    }

    @Override
    public <T> void addToAttachmentList(AttachmentKey<io.undertow.util.AttachmentList<T>> key, T value) {
        delegate.addToAttachmentList(key, value);
    }
}
