package org.sipbridge.provisioning.inject;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Answers the phone's request for {@code sipbridge-<MAC>.cfg} (in whatever folder the master came
 * from) with {@link BridgeServedConfig}, made now from the address the phone reached the bridge on and
 * the current settings; everything else goes on to the upstream. Not cached by the phone
 * ({@code no-store}), so a changed LAN address or port reaches it at its next provisioning.
 */
public final class ServedConfigHandler implements HttpHandler {

    private final Supplier<InjectionSettings> settings;
    private final ProvisionedPhones phones;
    private final HttpHandler next;

    public ServedConfigHandler(Supplier<InjectionSettings> settings, ProvisionedPhones phones, HttpHandler next) {
        this.settings = settings;
        this.phones = phones;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        InjectionSettings current = settings.get();
        String path = exchange.getRequestPath();
        String mac = current.enabled() ? BridgeServedConfig.macOf(path.substring(path.lastIndexOf('/') + 1)) : null;
        if (mac == null) {
            next.handleRequest(exchange);
            return;
        }
        if (!exchange.getRequestMethod().equals(Methods.GET)
                && !exchange.getRequestMethod().equals(Methods.HEAD)) {
            exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            exchange.endExchange();
            return;
        }
        InetSocketAddress local = exchange.getConnection().getLocalAddress(InetSocketAddress.class);
        byte[] body = BridgeServedConfig.render(local.getAddress(), current).getBytes(StandardCharsets.UTF_8);
        phones.served(mac, local.getAddress().getHostAddress());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/xml");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        if (exchange.getRequestMethod().equals(Methods.HEAD)) {
            exchange.endExchange();
        } else {
            exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(body));
        }
    }
}
