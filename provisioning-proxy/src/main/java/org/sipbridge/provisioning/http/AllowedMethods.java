package org.sipbridge.provisioning.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.util.Set;

/**
 * Lets through the methods a phone uses for provisioning and answers anything else with 405 and the
 * Allow header that RFC 9110 requires (Undertow's AllowedMethodsHandler leaves it out).
 */
public final class AllowedMethods implements HttpHandler {

    static final Set<HttpString> ALLOWED = Set.of(Methods.GET, Methods.HEAD, Methods.PUT, Methods.POST, Methods.DELETE);
    private static final String ALLOW = "GET, HEAD, PUT, POST, DELETE";

    private final HttpHandler next;

    public AllowedMethods(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (ALLOWED.contains(exchange.getRequestMethod())) {
            next.handleRequest(exchange);
            return;
        }
        exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
        exchange.getResponseHeaders().put(Headers.ALLOW, ALLOW);
        PlainText.send(exchange, exchange.getRequestMethod() + " is not relayed to the provisioning server\n");
    }
}
