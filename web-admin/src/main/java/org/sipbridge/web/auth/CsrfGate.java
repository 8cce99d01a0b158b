package org.sipbridge.web.auth;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.StatusCodes;
import org.sipbridge.web.Json;

/**
 * Every state-changing request of a browser session carries the session's CSRF token in
 * {@code X-CSRF-Token}; otherwise 403.
 */
final class CsrfGate implements HttpHandler {

    static final HttpString CSRF_HEADER = new HttpString("X-CSRF-Token");

    private final HttpHandler next;

    CsrfGate(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Caller caller = Caller.of(exchange);
        boolean changing = CrossOriginGate.CHANGING.contains(exchange.getRequestMethod());
        // HTTP Basic alone proves nothing against CSRF (a browser resends cached Basic credentials on a
        // cross-site form); it stands in for the token only on a request no other site can make a browser send.
        if (changing && !(caller.basic() && CrossSiteCheck.scriptRequest(exchange))) {
            String token = exchange.getRequestHeaders().getFirst(CSRF_HEADER);
            if (caller.session().isEmpty()
                    || !PasswordHash.same(token, caller.session().get().csrfToken())) {
                Json.error(
                        exchange,
                        StatusCodes.FORBIDDEN,
                        caller.basic() && caller.session().isEmpty()
                                ? "CSRF token missing: a change with HTTP Basic needs Content-Type: application/json or an"
                                        + " X-Requested-With header, and no cookies"
                                : "CSRF token missing or wrong");
                return;
            }
        }
        next.handleRequest(exchange);
    }
}
