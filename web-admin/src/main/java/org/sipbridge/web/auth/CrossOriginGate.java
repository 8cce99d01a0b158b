package org.sipbridge.web.auth;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.util.Optional;
import java.util.Set;
import org.sipbridge.contract.LogText;
import org.sipbridge.web.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Refuses a state-changing request whose Origin or Referer names another site. */
final class CrossOriginGate implements HttpHandler {

    static final Set<HttpString> CHANGING = Set.of(Methods.POST, Methods.PUT, Methods.PATCH, Methods.DELETE);
    // The gate's log name, unchanged since these checks were part of AuthHandler.
    private static final Logger log = LoggerFactory.getLogger(AuthHandler.class);

    private final HttpHandler next;

    CrossOriginGate(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (CHANGING.contains(exchange.getRequestMethod())) {
            Optional<String> foreign = CrossSiteCheck.foreignOrigin(exchange);
            if (foreign.isPresent()) {
                log.warn(
                        "Refused a cross-origin {} {} from {}: {}",
                        exchange.getRequestMethod(),
                        LogText.bounded(exchange.getRequestPath()),
                        AuthHandler.client(exchange),
                        LogText.bounded(foreign.get()));
                Json.error(exchange, StatusCodes.FORBIDDEN, "Cross-origin request refused (" + foreign.get() + ")");
                return;
            }
        }
        next.handleRequest(exchange);
    }
}
