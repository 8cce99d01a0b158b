package org.sipbridge.web.auth;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

/** Headers every answer carries: no sniffing, no referrer, no framing; API answers are never cached. */
final class SecurityHeaders implements HttpHandler {

    private static final HttpString CONTENT_TYPE_OPTIONS = new HttpString("X-Content-Type-Options");
    private static final HttpString REFERRER_POLICY = new HttpString("Referrer-Policy");
    private static final HttpString FRAME_OPTIONS = new HttpString("X-Frame-Options");

    private final HttpHandler next;

    SecurityHeaders(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        exchange.getResponseHeaders().put(CONTENT_TYPE_OPTIONS, "nosniff");
        exchange.getResponseHeaders().put(REFERRER_POLICY, "no-referrer");
        exchange.getResponseHeaders().put(FRAME_OPTIONS, "DENY");
        if (exchange.getRequestPath().startsWith("/api/")) {
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        }
        next.handleRequest(exchange);
    }
}
