package org.sipbridge.provisioning.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides where a request goes, apart from forwarding it: to the upstream configured at this moment
 * (fixed on the exchange for the later stages), or a 503 when there is none. The path was checked
 * before ({@link PathGuard}).
 */
public final class UpstreamRouting implements HttpHandler {

    private final Supplier<Optional<UpstreamUrl>> upstream;
    private final HttpHandler proxy;

    public UpstreamRouting(Supplier<Optional<UpstreamUrl>> upstream, HttpHandler proxy) {
        this.upstream = upstream;
        this.proxy = proxy;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Optional<UpstreamUrl> current = upstream.get();
        if (current.isEmpty()) {
            exchange.setStatusCode(StatusCodes.SERVICE_UNAVAILABLE);
            PlainText.send(
                    exchange,
                    "sipbridge: provisioning upstream not configured"
                            + " (set bridge.provisioningUpstream to the office provisioning server)\n");
            return;
        }
        exchange.putAttachment(UpstreamUrl.KEY, current.get());
        proxy.handleRequest(exchange);
    }
}
