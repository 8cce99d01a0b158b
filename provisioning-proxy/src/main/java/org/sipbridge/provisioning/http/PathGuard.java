package org.sipbridge.provisioning.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;

/**
 * Lets a request through only when its path is canonical and stays inside the upstream's base path
 * ({@link RequestPath}); then rewrites the request URI to the canonical encoding, which is what the
 * proxy relays. Anything else gets 400 with the reason, and nothing reaches the upstream.
 */
public final class PathGuard implements HttpHandler {

    private final HttpHandler next;

    public PathGuard(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isHostIncludedInRequestURI()) {
            refuse(exchange, "absolute-form request targets are not relayed");
            return;
        }
        RequestPath.Verdict verdict = RequestPath.check(exchange.getRequestURI());
        if (verdict instanceof RequestPath.Refuse refuse) {
            refuse(exchange, refuse.reason());
            return;
        }
        // Undertow's proxy builds the upstream request line from the request URI (and the query as sent).
        exchange.setRequestURI(((RequestPath.Relay) verdict).canonical());
        next.handleRequest(exchange);
    }

    private static void refuse(HttpServerExchange exchange, String reason) {
        exchange.setStatusCode(StatusCodes.BAD_REQUEST);
        PlainText.send(exchange, "sipbridge: path refused: " + reason + "\n");
    }
}
