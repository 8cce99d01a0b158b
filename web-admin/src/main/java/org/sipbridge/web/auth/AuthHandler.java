package org.sipbridge.web.auth;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import org.sipbridge.config.AdminSettings;
import org.sipbridge.web.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The login gate of {@link AuthChain}: when credentials are set, a login (session cookie) or HTTP Basic
 * (remembered in a {@link VerifiedBasicCache}) is needed, else 401 (API) or a redirect to the login page.
 * Attaches the {@link Caller} it found for the handlers behind it (CSRF, logout, credential change).
 */
public final class AuthHandler implements HttpHandler {

    public static final String COOKIE = "sipbridge_session";
    private static final Logger log = LoggerFactory.getLogger(AuthHandler.class);

    private final HttpHandler next;
    private final Supplier<AdminSettings> credentials;
    private final SessionStore sessions;
    private final LoginLimiter limiter;
    private final PasswordCheck passwords;
    private final VerifiedBasicCache verifiedBasic = new VerifiedBasicCache();

    /** @param credentials the current {@code admin.*} settings (read on every request, so changes apply at once) */
    AuthHandler(
            HttpHandler next,
            Supplier<AdminSettings> credentials,
            SessionStore sessions,
            LoginLimiter limiter,
            PasswordCheck passwords) {
        this.next = next;
        this.credentials = credentials;
        this.sessions = sessions;
        this.limiter = limiter;
        this.passwords = passwords;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        AdminSettings admin = credentials.get();
        Optional<SessionStore.Session> session = sessions.find(cookie(exchange));
        boolean basic = false;
        if (admin.hasCredentials()) {
            Optional<Boolean> basicResult = basic(exchange, admin);
            if (basicResult.isEmpty()) {
                return; // rate-limited, busy or dispatched: answered
            }
            basic = basicResult.get();
            boolean loggedIn =
                    session.map(s -> admin.userName().equals(s.user())).orElse(false);
            if (!basic && !loggedIn) {
                refuse(exchange, exchange.getRequestPath());
                return;
            }
        }
        new Caller(session, basic).attachTo(exchange);
        next.handleRequest(exchange);
    }

    /** Checks an {@code Authorization: Basic} header: true if valid, false if absent or wrong (counted), empty when answered (rate-limited, busy) or handed to a worker thread. */
    private Optional<Boolean> basic(HttpServerExchange exchange, AdminSettings admin) {
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.of(false);
        }
        if (verifiedBasic.contains(header, admin)) {
            return Optional.of(true);
        }
        if (exchange.isInIoThread()) {
            // The slow hash (and the wait for a HashGate slot) must not hold the listener's only I/O thread.
            exchange.dispatch(this);
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = "";
        }
        int colon = decoded.indexOf(':');
        String client = client(exchange);
        Optional<Duration> wait = limiter.attempt(client);
        if (wait.isPresent()) {
            tooMany(exchange, wait.get());
            return Optional.empty();
        }
        Optional<Boolean> valid = colon > 0
                ? passwords.valid(admin, decoded.substring(0, colon), decoded.substring(colon + 1))
                : Optional.of(false);
        if (valid.isEmpty()) {
            busy(exchange);
            return Optional.empty();
        }
        boolean ok = valid.get();
        if (ok) {
            limiter.succeeded(client);
            verifiedBasic.add(header, admin);
        } else {
            limiter.failed(client);
            log.warn("Failed HTTP Basic login from {}", client);
        }
        return Optional.of(ok);
    }

    /** Too many password hashes are running: the client may retry at once (no lockout, only a bound on CPU). */
    static void busy(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
        Json.error(exchange, StatusCodes.SERVICE_UNAVAILABLE, "Too many logins are being checked right now; try again");
    }

    private void refuse(HttpServerExchange exchange, String path) {
        if (path.startsWith("/api/") || path.equals("/metrics") || path.startsWith("/metrics/")) {
            if (!"fetch".equals(exchange.getRequestHeaders().getFirst(CrossSiteCheck.REQUESTED_WITH))) {
                exchange.getResponseHeaders()
                        .put(Headers.WWW_AUTHENTICATE, "Basic realm=\"sipbridge\", charset=\"UTF-8\"");
            }
            Json.error(exchange, StatusCodes.UNAUTHORIZED, "Login required");
            return;
        }
        String target = path + (exchange.getQueryString().isEmpty() ? "" : "?" + exchange.getQueryString());
        exchange.getResponseHeaders()
                .put(Headers.LOCATION, "/login.html?next=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
        exchange.setStatusCode(StatusCodes.FOUND);
        exchange.endExchange();
    }

    /** Starts a session and sends its cookie. */
    static SessionStore.Session newSession(HttpServerExchange exchange, SessionStore sessions, String user) {
        SessionStore.Session session = sessions.create(user);
        exchange.getResponseHeaders()
                .add(
                        Headers.SET_COOKIE,
                        COOKIE + "=" + session.id() + "; Path=/; HttpOnly; SameSite=Strict"
                                + (https(exchange) ? "; Secure" : ""));
        return session;
    }

    static void tooMany(HttpServerExchange exchange, Duration wait) {
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(wait.toSeconds()));
        Json.error(
                exchange,
                StatusCodes.TOO_MANY_REQUESTS,
                "Too many login attempts; try again in " + wait.toSeconds() + " s");
    }

    static String cookie(HttpServerExchange exchange) {
        Cookie cookie = exchange.getRequestCookie(COOKIE);
        return cookie == null ? null : cookie.getValue();
    }

    static boolean https(HttpServerExchange exchange) {
        return "https".equals(exchange.getRequestScheme());
    }

    static String client(HttpServerExchange exchange) {
        return exchange.getSourceAddress().getAddress().getHostAddress();
    }
}
