package org.sipbridge.web.auth;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.sipbridge.config.AdminSettings;
import org.sipbridge.web.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is reachable before a login: {@code GET /api/session}, {@code POST /api/login}, the login page
 * (whose {@code next} must stay on this server) and its assets, served by {@code pages}. Everything
 * else goes on to {@code next}, the login gate.
 */
final class LoginEndpoints implements HttpHandler {

    // The log name of these messages, unchanged since they were part of AuthHandler.
    private static final Logger log = LoggerFactory.getLogger(AuthHandler.class);

    private final Supplier<AdminSettings> credentials;
    private final SessionStore sessions;
    private final LoginLimiter limiter;
    private final PasswordCheck passwords;
    private final HttpHandler pages;
    private final HttpHandler next;
    private final HttpHandler login = new BlockingHandler(this::login);

    LoginEndpoints(
            Supplier<AdminSettings> credentials,
            SessionStore sessions,
            LoginLimiter limiter,
            PasswordCheck passwords,
            HttpHandler pages,
            HttpHandler next) {
        this.credentials = credentials;
        this.sessions = sessions;
        this.limiter = limiter;
        this.passwords = passwords;
        this.pages = pages;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRequestPath();
        if (path.equals("/api/session") && exchange.getRequestMethod().equals(Methods.GET)) {
            sendSession(
                    exchange,
                    credentials.get(),
                    sessions.find(AuthHandler.cookie(exchange)).orElseGet(() -> newSession(exchange, null)));
            return;
        }
        if (path.equals("/api/login") && exchange.getRequestMethod().equals(Methods.POST)) {
            login.handleRequest(exchange);
            return;
        }
        if (path.equals("/login.html") && !safeNext(exchange)) {
            exchange.getResponseHeaders().put(Headers.LOCATION, "/login.html");
            exchange.setStatusCode(StatusCodes.FOUND);
            exchange.endExchange();
            return;
        }
        if (path.equals("/login.html") || path.startsWith("/assets/")) {
            pages.handleRequest(exchange);
            return;
        }
        next.handleRequest(exchange);
    }

    private void login(HttpServerExchange exchange) {
        AdminSettings admin = credentials.get();
        String client = AuthHandler.client(exchange);
        if (!admin.hasCredentials()) {
            SessionStore.Session session =
                    sessions.find(AuthHandler.cookie(exchange)).orElseGet(() -> newSession(exchange, null));
            Json.send(exchange, StatusCodes.OK, new LoginAnswer(session.csrfToken()));
            return;
        }
        Map<String, String> body = CredentialsChange.readTexts(exchange);
        if (body == null) {
            Json.error(
                    exchange,
                    StatusCodes.BAD_REQUEST,
                    "the body must be a JSON object {\"user\":\"...\",\"password\":\"...\"}");
            return;
        }
        Optional<Duration> wait = limiter.attempt(client);
        if (wait.isPresent()) {
            AuthHandler.tooMany(exchange, wait.get());
            return;
        }
        Optional<Boolean> valid =
                passwords.valid(admin, body.getOrDefault("user", ""), body.getOrDefault("password", ""));
        if (valid.isEmpty()) {
            AuthHandler.busy(exchange);
            return;
        }
        if (!valid.get()) {
            limiter.failed(client);
            log.warn("Failed web UI login from {}", client);
            Json.error(exchange, StatusCodes.UNAUTHORIZED, "Wrong user name or password");
            return;
        }
        limiter.succeeded(client);
        sessions.remove(AuthHandler.cookie(exchange)); // a fresh id on login: no session fixation
        SessionStore.Session session = newSession(exchange, admin.userName());
        log.info("Web UI login of {} from {}", admin.userName(), client);
        Json.send(exchange, StatusCodes.OK, new LoginAnswer(session.csrfToken()));
    }

    /** Whether every {@code next} parameter of the login page is a path on this server ({@link SafeNext}). */
    private static boolean safeNext(HttpServerExchange exchange) {
        java.util.Deque<String> next = exchange.getQueryParameters().get("next");
        return next == null || next.stream().allMatch(SafeNext::isSafe);
    }

    private void sendSession(HttpServerExchange exchange, AdminSettings admin, SessionStore.Session session) {
        boolean required = admin.hasCredentials();
        boolean authenticated = !required || admin.userName().equals(session.user());
        Json.send(
                exchange,
                StatusCodes.OK,
                new SessionAnswer(
                        required,
                        authenticated,
                        required && authenticated ? admin.userName() : null,
                        session.csrfToken()));
    }

    private SessionStore.Session newSession(HttpServerExchange exchange, String user) {
        return AuthHandler.newSession(exchange, sessions, user);
    }
}
