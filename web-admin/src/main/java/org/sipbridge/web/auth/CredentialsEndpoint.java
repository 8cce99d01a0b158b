package org.sipbridge.web.auth;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import org.sipbridge.web.Json;

/**
 * {@code /api/admin/credentials}: POST hands the request to {@link CredentialsChange} (on a worker thread:
 * it hashes a password), any other method is 405. Other paths pass on.
 */
final class CredentialsEndpoint implements HttpHandler {

    static final String PATH = "/api/admin/credentials";

    private final HttpHandler change;
    private final HttpHandler next;

    CredentialsEndpoint(HttpHandler change, HttpHandler next) {
        this.change = change;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!exchange.getRequestPath().equals(PATH)) {
            next.handleRequest(exchange);
            return;
        }
        if (!exchange.getRequestMethod().equals(Methods.POST)) {
            Json.error(
                    exchange,
                    StatusCodes.METHOD_NOT_ALLOWED,
                    exchange.getRequestMethod() + " is not allowed on " + PATH);
            return;
        }
        exchange.putAttachment(
                CredentialsChange.CALLER, Caller.of(exchange).session().orElse(null));
        change.handleRequest(exchange);
    }
}
