package org.sipbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.AdminSettings;
import org.sipbridge.config.persistence.ConfigFile;
import org.sipbridge.web.auth.PasswordHash;
import org.threeten.extra.MutableClock;

/** Login, sessions, CSRF, HTTP Basic, rate limits and the credentials change over a real server and config file. */
class AuthApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "correct horse";

    private final MutableClock clock = MutableClock.of(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    private UiFixture ui;

    @AfterEach
    void stop() throws Exception {
        if (ui != null) {
            ui.close();
        }
    }

    private ApiClient open() throws Exception {
        ui = new UiFixture("127.0.0.1", clock);
        return new ApiClient(ui.base);
    }

    /** A server whose config already has the login admin / {@value PASSWORD}. */
    private void withCredentials() throws Exception {
        open();
        ui.store.apply(ui.store.current().withAdmin(new AdminSettings("admin", PasswordHash.hash(PASSWORD))));
    }

    private ApiClient loggedIn() throws Exception {
        ApiClient client = new ApiClient(ui.base);
        HttpResponse<String> response = login(client, "admin", PASSWORD);
        assertEquals(200, response.statusCode(), response.body());
        client.csrfToken = JSON.readTree(response.body()).path("csrfToken").asText();
        return client;
    }

    private static HttpResponse<String> login(ApiClient client, String user, String password) throws Exception {
        return client.send(client.request("/api/login")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode()
                        .put("user", user)
                        .put("password", password)
                        .toString()))
                .build());
    }

    private static String credentials(String oldUser, String oldPassword, String newUser, String newPassword) {
        return JSON.createObjectNode()
                .put("oldUser", oldUser)
                .put("oldPassword", oldPassword)
                .put("newUser", newUser)
                .put("newPassword", newPassword)
                .toString();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static List<String> errorKeys(HttpResponse<String> response) throws Exception {
        List<String> keys = new ArrayList<>();
        json(response).path("errors").forEach(e -> keys.add(e.path("key").asText()));
        return keys;
    }

    private static String sessionCookie(HttpResponse<String> response) {
        return response.headers().allValues("set-cookie").stream()
                .filter(c -> c.startsWith("sipbridge_session="))
                .findFirst()
                .orElse("");
    }

    @Test
    void anOpenUiIssuesAnAnonymousSessionAndStillWantsTheCsrfToken() throws Exception {
        ApiClient client = open();
        HttpResponse<String> session = client.session();
        assertEquals(200, session.statusCode());
        assertFalse(json(session).path("authRequired").asBoolean());
        assertTrue(json(session).path("authenticated").asBoolean());
        assertTrue(json(session).path("user").isNull());
        assertEquals(43, client.csrfToken.length(), "256 random bits, base64url");
        String cookie = sessionCookie(session);
        assertTrue(cookie.matches("sipbridge_session=[A-Za-z0-9_-]{43}; .*"), cookie);
        assertTrue(
                cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"), cookie);
        assertFalse(cookie.contains("Secure"), "plain HTTP on loopback: " + cookie);
        assertEquals("", sessionCookie(client.session()), "the session is kept, not renewed on every call");

        String change = "{\"protocols\": {\"udp\": {\"t1Ms\": 450}}}";
        HttpResponse<String> missing = client.send(client.request("/api/config")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(change))
                .build());
        assertEquals(403, missing.statusCode());
        assertEquals("CSRF token missing or wrong", json(missing).path("error").asText());
        HttpResponse<String> wrong = client.send(client.request("/api/config")
                .header("X-CSRF-Token", "x" + client.csrfToken)
                .PUT(HttpRequest.BodyPublishers.ofString(change))
                .build());
        assertEquals(403, wrong.statusCode());
        HttpResponse<String> otherSessionsToken = new ApiClient(ui.base)
                .send(client.request("/api/config")
                        .header("X-CSRF-Token", client.csrfToken)
                        .PUT(HttpRequest.BodyPublishers.ofString(change))
                        .build());
        assertEquals(403, otherSessionsToken.statusCode(), "a token is only good with its own session cookie");
        assertEquals(500, ConfigFile.load(ui.configFile).protocols().udp().t1Ms(), "nothing changed");
        assertEquals(200, client.send("PUT", "/api/config", change).statusCode());
        assertEquals(450, ConfigFile.load(ui.configFile).protocols().udp().t1Ms());
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() throws Exception {
        ApiClient client = open();
        for (String path : List.of("/api/status", "/", "/login.html", "/assets/api.js", "/api/nothing")) {
            HttpResponse<String> response = client.get(path);
            assertEquals(
                    "nosniff",
                    response.headers().firstValue("x-content-type-options").orElse(""),
                    path);
            assertEquals(
                    "no-referrer",
                    response.headers().firstValue("referrer-policy").orElse(""),
                    path);
            assertEquals(
                    "DENY", response.headers().firstValue("x-frame-options").orElse(""), path);
            if (path.startsWith("/api/")) {
                assertEquals(
                        "no-store",
                        response.headers().firstValue("cache-control").orElse(""),
                        path);
            } else {
                assertTrue(
                        response.headers()
                                .firstValue("content-security-policy")
                                .orElse("")
                                .contains("default-src 'none'"),
                        path);
            }
        }
    }

    @Test
    void settingCredentialsHashesThemAndKeepsTheCallerLoggedIn() throws Exception {
        ApiClient client = open();
        ApiClient other = new ApiClient(ui.base);
        other.session();
        client.session();
        String anonymousId = client.cookies.getCookieStore().getCookies().get(0).getValue();
        HttpResponse<String> set =
                client.send("POST", "/api/admin/credentials", credentials("", "", "admin", PASSWORD));
        assertEquals(204, set.statusCode(), set.body());
        assertTrue(sessionCookie(set).contains("HttpOnly"), "the caller gets a fresh session");
        assertNotEquals(
                anonymousId, client.cookies.getCookieStore().getCookies().get(0).getValue(), "no session fixation");

        AdminSettings saved = ConfigFile.load(ui.configFile).admin();
        assertEquals("admin", saved.userName());
        assertTrue(
                saved.passwordHash().matches("pbkdf2-sha256\\$210000\\$[A-Za-z0-9+/=]{24}\\$[A-Za-z0-9+/=]{44}"),
                saved.passwordHash());
        assertTrue(PasswordHash.matches(PASSWORD, saved.passwordHash()));
        assertFalse(PasswordHash.matches(PASSWORD + "!", saved.passwordHash()));
        assertFalse(java.nio.file.Files.readString(ui.configFile).contains(PASSWORD));

        JsonNode session = json(client.session());
        assertTrue(session.path("authRequired").asBoolean());
        assertTrue(session.path("authenticated").asBoolean());
        assertEquals("admin", session.path("user").asText());
        assertEquals(200, client.get("/api/status").statusCode(), "the caller's session stays valid");
        assertTrue(json(client.get("/api/config"))
                .path("admin")
                .path("credentialsSet")
                .asBoolean());
        assertEquals(401, other.get("/api/status").statusCode(), "other sessions are logged out");
        JsonNode otherSession = json(other.session());
        assertTrue(otherSession.path("authRequired").asBoolean());
        assertFalse(otherSession.path("authenticated").asBoolean());
        assertTrue(otherSession.path("user").isNull());
    }

    @Test
    void withoutLoginTheApiAnswers401AndPagesRedirectToTheLoginPage() throws Exception {
        withCredentials();
        ApiClient anonymous = new ApiClient(ui.base);
        HttpResponse<String> api = anonymous.send(HttpRequest.newBuilder(java.net.URI.create(ui.base + "/api/status"))
                .build());
        assertEquals(401, api.statusCode());
        assertEquals("Login required", json(api).path("error").asText());
        assertEquals(
                "Basic realm=\"sipbridge\", charset=\"UTF-8\"",
                api.headers().firstValue("www-authenticate").orElse(""));
        HttpResponse<String> fromUi = anonymous.get("/api/config");
        assertEquals(401, fromUi.statusCode());
        assertTrue(
                fromUi.headers().firstValue("www-authenticate").isEmpty(),
                "no browser dialog for the UI's fetch calls");
        assertEquals(401, anonymous.get("/metrics").statusCode());
        assertEquals(401, anonymous.send("POST", "/api/bridge/disconnect", null).statusCode());
        assertTrue(ui.connected.get());

        HttpResponse<String> page =
                anonymous.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(ui.base + "/index.html?x=1"))
                        .build());
        assertEquals(302, page.statusCode());
        assertEquals(
                "/login.html?next=%2Findex.html%3Fx%3D1",
                page.headers().firstValue("location").orElse(""));
        assertEquals(200, anonymous.get("/login.html").statusCode());
        assertEquals(200, anonymous.get("/assets/login.js").statusCode());
        assertEquals(200, anonymous.get("/api/session").statusCode());
    }

    @Test
    void loginGivesAFreshSessionAndLogoutEndsIt() throws Exception {
        withCredentials();
        ApiClient client = new ApiClient(ui.base);
        client.session();
        String anonymousCookie =
                client.cookies.getCookieStore().getCookies().get(0).getValue();

        HttpResponse<String> wrong = login(client, "admin", "wrong password");
        assertEquals(401, wrong.statusCode());
        assertEquals("Wrong user name or password", json(wrong).path("error").asText());
        assertEquals(401, login(client, "root", PASSWORD).statusCode());
        HttpResponse<String> notJson = client.send(client.request("/api/login")
                .POST(HttpRequest.BodyPublishers.ofString("user=admin"))
                .build());
        assertEquals(400, notJson.statusCode());

        HttpResponse<String> ok = login(client, "admin", PASSWORD);
        assertEquals(200, ok.statusCode(), ok.body());
        String cookie = sessionCookie(ok);
        assertTrue(
                cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"), cookie);
        assertNotEquals(
                anonymousCookie,
                client.cookies.getCookieStore().getCookies().get(0).getValue(),
                "no session fixation");
        client.csrfToken = json(ok).path("csrfToken").asText();
        assertEquals(client.csrfToken, json(client.session()).path("csrfToken").asText());
        assertEquals(200, client.get("/api/status").statusCode());
        assertEquals(200, client.get("/").statusCode());

        HttpResponse<String> noToken = client.send(client.request("/api/logout")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertEquals(403, noToken.statusCode());
        HttpResponse<String> logout = client.send("POST", "/api/logout", null);
        assertEquals(204, logout.statusCode());
        assertTrue(sessionCookie(logout).contains("Max-Age=0"), sessionCookie(logout));
        assertEquals(401, client.get("/api/status").statusCode());
    }

    @Test
    void httpBasicWorksForApiClientsWithoutCsrf() throws Exception {
        withCredentials();
        ApiClient script = new ApiClient(ui.base);
        HttpResponse<String> status = script.send(script.request("/api/status")
                .header("Authorization", basic("admin", PASSWORD))
                .build());
        assertEquals(200, status.statusCode());
        HttpResponse<String> change = script.send(script.request("/api/config")
                .header("Authorization", basic("admin", PASSWORD))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"protocols\": {\"udp\": {\"t1Ms\": 480}}}"))
                .build());
        assertEquals(200, change.statusCode(), change.body());
        assertEquals(480, ConfigFile.load(ui.configFile).protocols().udp().t1Ms());
        for (int i = 0; i < 70; i++) { // more than the global limit of login attempts: a verified header is remembered
            assertEquals(
                    200,
                    script.send(script.request("/api/status")
                                    .header("Authorization", basic("admin", PASSWORD))
                                    .build())
                            .statusCode(),
                    "poll " + i);
        }
        HttpResponse<String> wrong = script.send(script.request("/api/status")
                .header("Authorization", basic("admin", "nope"))
                .build());
        assertEquals(401, wrong.statusCode());
        HttpResponse<String> garbage = script.send(script.request("/api/status")
                .header("Authorization", "Basic !!!")
                .build());
        assertEquals(401, garbage.statusCode());

        ui.store.apply(ui.store.current().withAdmin(new AdminSettings("admin", PasswordHash.hash("a new password"))));
        assertEquals(
                401,
                script.send(script.request("/api/status")
                                .header("Authorization", basic("admin", PASSWORD))
                                .build())
                        .statusCode(),
                "a remembered header stops working when the password changes");
    }

    @Test
    void credentialsChangeValidatesEveryFieldAndChecksTheOldLogin() throws Exception {
        ApiClient client = open();
        HttpResponse<String> oldNotBlank =
                client.send("POST", "/api/admin/credentials", credentials("x", "y", "admin", PASSWORD));
        assertEquals(400, oldNotBlank.statusCode());
        assertEquals(List.of("oldUser", "oldPassword"), errorKeys(oldNotBlank));
        HttpResponse<String> short_ =
                client.send("POST", "/api/admin/credentials", credentials("", "", "ad:min", "short"));
        assertEquals(400, short_.statusCode());
        assertEquals(List.of("newUser", "newPassword"), errorKeys(short_));
        assertTrue(json(short_).path("errors").path(1).path("message").asText().contains("(was 5)"), short_.body());
        assertEquals(
                List.of("newUser"),
                errorKeys(client.send("POST", "/api/admin/credentials", credentials("", "", "", PASSWORD))));
        assertEquals(
                List.of("newPassword"),
                errorKeys(client.send("POST", "/api/admin/credentials", credentials("", "", "admin", ""))));
        assertEquals(400, client.send("POST", "/api/admin/credentials", "[1]").statusCode());
        assertEquals(
                400,
                client.send("POST", "/api/admin/credentials", "{\"newUser\": 5}")
                        .statusCode());
        assertEquals(405, client.send("PUT", "/api/admin/credentials", "{}").statusCode());
        assertFalse(ConfigFile.load(ui.configFile).admin().hasCredentials(), "nothing saved");

        assertEquals(
                204,
                client.send("POST", "/api/admin/credentials", credentials("", "", "admin", PASSWORD))
                        .statusCode());
        HttpResponse<String> staleToken =
                client.send("POST", "/api/admin/credentials", credentials("admin", PASSWORD, "boss", "x"));
        assertEquals(403, staleToken.statusCode(), "the new session has a new CSRF token");
        assertEquals(
                "CSRF token missing or wrong", json(staleToken).path("error").asText());
        client.session();
        ApiClient second = loggedIn();
        HttpResponse<String> wrongOld =
                client.send("POST", "/api/admin/credentials", credentials("admin", "wrong", "boss", "another secret"));
        assertEquals(403, wrongOld.statusCode());
        assertEquals(
                "The current user name or password is wrong",
                json(wrongOld).path("error").asText());
        assertEquals("admin", ConfigFile.load(ui.configFile).admin().userName());

        HttpResponse<String> changed =
                client.send("POST", "/api/admin/credentials", credentials("admin", PASSWORD, "boss", "another secret"));
        assertEquals(204, changed.statusCode(), changed.body());
        assertEquals(
                "boss", json(client.session()).path("user").asText(), "the caller stays logged in, as the new user");
        assertEquals(401, second.get("/api/status").statusCode(), "the other session ended");
        assertEquals(401, login(second, "admin", PASSWORD).statusCode());
        assertEquals(200, login(second, "boss", "another secret").statusCode());

        HttpResponse<String> cleared =
                client.send("POST", "/api/admin/credentials", credentials("boss", "another secret", "", ""));
        assertEquals(204, cleared.statusCode(), cleared.body());
        assertEquals(AdminSettings.defaults(), ConfigFile.load(ui.configFile).admin());
        assertFalse(json(client.session()).path("authRequired").asBoolean());
        assertEquals(200, new ApiClient(ui.base).get("/api/status").statusCode(), "open again on loopback");
    }

    @Test
    void loginAttemptsAreRateLimitedPerClient() throws Exception {
        withCredentials();
        ApiClient guesser = new ApiClient(ui.base);
        for (int i = 0; i < 5; i++) {
            assertEquals(401, login(guesser, "admin", "guess" + i).statusCode());
        }
        HttpResponse<String> limited = login(guesser, "admin", PASSWORD);
        assertEquals(429, limited.statusCode(), "even the right password waits");
        long retryAfter =
                Long.parseLong(limited.headers().firstValue("retry-after").orElse("0"));
        assertTrue(retryAfter > 0 && retryAfter <= 300, "Retry-After " + retryAfter);
        assertTrue(json(limited).path("error").asText().contains("Too many"));
        HttpResponse<String> basicToo = guesser.send(guesser.request("/api/status")
                .header("Authorization", basic("admin", PASSWORD))
                .build());
        assertEquals(429, basicToo.statusCode(), "HTTP Basic shares the limit");

        clock.add(Duration.ofSeconds(retryAfter));
        assertEquals(200, login(guesser, "admin", PASSWORD).statusCode());
    }

    @Test
    void sessionsEndAfterIdleTimeAndAfterTwelveHours() throws Exception {
        withCredentials();
        ApiClient idle = loggedIn();
        clock.add(Duration.ofMinutes(29));
        assertEquals(200, idle.get("/api/status").statusCode());
        clock.add(Duration.ofMinutes(29));
        assertEquals(200, idle.get("/api/status").statusCode(), "use keeps it alive");
        clock.add(Duration.ofMinutes(31));
        assertEquals(401, idle.get("/api/status").statusCode(), "30 minutes idle");

        ApiClient busy = loggedIn();
        for (int i = 0; i < 35; i++) { // 11 h 40 min of steady use
            clock.add(Duration.ofMinutes(20));
            assertEquals(200, busy.get("/api/status").statusCode(), "after " + (i + 1) * 20 + " min");
        }
        clock.add(Duration.ofMinutes(21));
        assertEquals(401, busy.get("/api/status").statusCode(), "12 h at most");
    }

    @Test
    void anOpenUiIsRefusedOnANonLoopbackAddress() throws Exception {
        ui = new UiFixture("0.0.0.0", clock);
        ApiClient client = new ApiClient(ui.base);
        HttpResponse<String> refused = client.get("/api/session");
        assertEquals(403, refused.statusCode());
        assertTrue(json(refused).path("error").asText().contains("web.bindAddress"), refused.body());
        assertEquals(403, client.get("/").statusCode());
        assertEquals(403, client.get("/api/status").statusCode());

        ui.store.apply(ui.store.current().withAdmin(new AdminSettings("admin", PasswordHash.hash(PASSWORD))));
        assertEquals(
                200,
                client.send(client.request("/api/status")
                                .header("Authorization", basic("admin", PASSWORD))
                                .build())
                        .statusCode());
        ApiClient admin = loggedIn();
        HttpResponse<String> clear =
                admin.send("POST", "/api/admin/credentials", credentials("admin", PASSWORD, "", ""));
        assertEquals(400, clear.statusCode());
        assertEquals(List.of("newUser"), errorKeys(clear));
        assertTrue(ConfigFile.load(ui.configFile).admin().hasCredentials());
    }
}
