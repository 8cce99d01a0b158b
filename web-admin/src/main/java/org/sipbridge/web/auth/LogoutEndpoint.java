package org.sipbridge.web.auth;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;

/** {@code POST /api/logout}: ends the caller's session and clears its cookie. Other requests pass on. */
final class LogoutEndpoint implements HttpHandler {

    static final String PATH = "/api/logout";

    private final SessionStore sessions;
    private final HttpHandler next;

    LogoutEndpoint(SessionStore sessions, HttpHandler next) {
        this.sessions = sessions;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!exchange.getRequestPath().equals(PATH)
                || !exchange.getRequestMethod().equals(Methods.POST)) {
            next.handleRequest(exchange);
            return;
        }
        Caller.of(exchange).session().ifPresent(s -> sessions.remove(s.id()));
        exchange.getResponseHeaders()
                .add(
                        Headers.SET_COOKIE,
                        AuthHandler.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                                + (AuthHandler.https(exchange) ? "; Secure" : ""));
        exchange.setStatusCode(StatusCodes.NO_CONTENT);
        exchange.endExchange();
    }
}
