package org.sipbridge.web.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.sipbridge.config.AdminSettings;
import org.sipbridge.config.validation.ConfigException;
import org.sipbridge.config.validation.ConfigProblem;
import org.sipbridge.web.ConfigErrors;
import org.sipbridge.web.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/admin/credentials}: checks the current login, hashes the new password and saves
 * {@code admin.*} through the config store; then every other session ends and the caller continues in a
 * fresh session of the new user (new cookie and CSRF token: the page reloads {@code /api/session}). Both new fields blank remove the login (allowed on a loopback listener only).
 */
public final class CredentialsChange implements HttpHandler {

    /** Saves new admin settings atomically (the daemon: through its ConfigStore). */
    @FunctionalInterface
    public interface Writer {
        void save(AdminSettings admin) throws ConfigException, IOException;
    }

    static final AttachmentKey<SessionStore.Session> CALLER = AttachmentKey.create(SessionStore.Session.class);
    static final int MIN_PASSWORD = 8;
    static final int MAX_TEXT = 256;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(CredentialsChange.class);

    private final Supplier<AdminSettings> credentials;
    private final boolean loopbackListener;
    private final Writer writer;
    private final SessionStore sessions;
    private final LoginLimiter limiter;
    private final PasswordCheck passwords;

    CredentialsChange(
            Supplier<AdminSettings> credentials,
            boolean loopbackListener,
            Writer writer,
            SessionStore sessions,
            LoginLimiter limiter,
            PasswordCheck passwords) {
        this.credentials = credentials;
        this.loopbackListener = loopbackListener;
        this.writer = writer;
        this.sessions = sessions;
        this.limiter = limiter;
        this.passwords = passwords;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        Map<String, String> body = readTexts(exchange);
        if (body == null) {
            send400(
                    exchange,
                    List.of(new ConfigProblem(
                            "",
                            "the body must be a JSON object of texts:"
                                    + " {\"oldUser\",\"oldPassword\",\"newUser\",\"newPassword\"}")));
            return;
        }
        String oldUser = body.getOrDefault("oldUser", "");
        String oldPassword = body.getOrDefault("oldPassword", "");
        String newUser = body.getOrDefault("newUser", "");
        String newPassword = body.getOrDefault("newPassword", "");
        AdminSettings current = credentials.get();
        List<ConfigProblem> problems = problems(current, oldUser, oldPassword, newUser, newPassword);
        if (!problems.isEmpty()) {
            send400(exchange, problems);
            return;
        }
        if (current.hasCredentials()) {
            String client = AuthHandler.client(exchange);
            var wait = limiter.attempt(client);
            if (wait.isPresent()) {
                exchange.getResponseHeaders()
                        .put(
                                io.undertow.util.Headers.RETRY_AFTER,
                                Long.toString(wait.get().toSeconds()));
                Json.error(
                        exchange,
                        StatusCodes.TOO_MANY_REQUESTS,
                        "Too many attempts; try again in " + wait.get().toSeconds() + " s");
                return;
            }
            var valid = passwords.valid(current, oldUser, oldPassword);
            if (valid.isEmpty()) {
                AuthHandler.busy(exchange);
                return;
            }
            if (!valid.get()) {
                limiter.failed(client);
                Json.error(exchange, StatusCodes.FORBIDDEN, "The current user name or password is wrong");
                return;
            }
        }
        AdminSettings next = newUser.isEmpty()
                ? AdminSettings.defaults()
                : new AdminSettings(newUser, PasswordHash.hash(newPassword));
        try {
            writer.save(next);
        } catch (ConfigException e) {
            send400(exchange, e.problems());
            return;
        } catch (IOException e) {
            log.error("Could not save the new web UI credentials", e);
            Json.error(
                    exchange,
                    StatusCodes.INTERNAL_SERVER_ERROR,
                    "the credentials could not be saved, nothing was changed: " + e.getMessage());
            return;
        }
        // Every session ends; the caller goes on in a fresh one (a new id: a session id planted before the
        // change, e.g. by another local web page while the UI was open, must not become a logged-in one).
        sessions.endAll();
        if (exchange.getAttachment(CALLER) != null) {
            AuthHandler.newSession(exchange, sessions, next.hasCredentials() ? newUser : null);
        }
        log.info(
                next.hasCredentials()
                        ? "Web UI credentials changed (user {}); other sessions logged out"
                        : "Web UI credentials removed; the UI is open on this computer{}",
                newUser);
        exchange.setStatusCode(StatusCodes.NO_CONTENT);
        exchange.endExchange();
    }

    private List<ConfigProblem> problems(
            AdminSettings current, String oldUser, String oldPassword, String newUser, String newPassword) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (!current.hasCredentials()) {
            if (!oldUser.isEmpty()) {
                problems.add(new ConfigProblem("oldUser", "must be blank: no login is set yet"));
            }
            if (!oldPassword.isEmpty()) {
                problems.add(new ConfigProblem("oldPassword", "must be blank: no login is set yet"));
            }
        }
        if (newUser.isEmpty() && newPassword.isEmpty()) {
            if (!loopbackListener) {
                problems.add(new ConfigProblem(
                        "newUser", "is required: the web UI is reachable from other computers, so it needs a login"));
            }
            return problems;
        }
        if (newUser.isEmpty()) {
            problems.add(new ConfigProblem(
                    "newUser", "is required with a new password (leave both blank to remove the login)"));
        } else if (newUser.length() > 64
                || !newUser.strip().equals(newUser)
                || newUser.contains(":")
                || newUser.chars().anyMatch(Character::isISOControl)) {
            problems.add(new ConfigProblem(
                    "newUser", "must be 1 to 64 characters without ':', control characters or surrounding spaces"));
        }
        if (newPassword.isEmpty()) {
            problems.add(new ConfigProblem(
                    "newPassword", "is required with a new user name (leave both blank to remove the login)"));
        } else if (newPassword.length() < MIN_PASSWORD || newPassword.length() > MAX_TEXT) {
            problems.add(new ConfigProblem(
                    "newPassword",
                    "must be " + MIN_PASSWORD + " to " + MAX_TEXT + " characters (was " + newPassword.length() + ")"));
        }
        return problems;
    }

    private static void send400(HttpServerExchange exchange, List<ConfigProblem> problems) {
        Json.send(exchange, StatusCodes.BAD_REQUEST, new ConfigErrors(problems));
    }

    /** The body as a JSON object of short texts, or null if it is anything else (not JSON, a number, too long ...). */
    static Map<String, String> readTexts(HttpServerExchange exchange) {
        JsonNode body;
        try {
            exchange.startBlocking();
            body = MAPPER.readTree(exchange.getInputStream().readNBytes(16 * 1024));
        } catch (IOException e) {
            return null;
        }
        if (body == null || !body.isObject()) {
            return null;
        }
        Map<String, String> texts = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = body.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isTextual() || field.getValue().asText().length() > 4 * MAX_TEXT) {
                return null;
            }
            texts.put(field.getKey(), field.getValue().asText());
        }
        return texts;
    }
}
