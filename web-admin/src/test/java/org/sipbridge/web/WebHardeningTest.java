package org.sipbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.AdminSettings;
import org.sipbridge.config.persistence.ConfigFile;
import org.sipbridge.web.auth.PasswordHash;

/**
 * Attacks on the web admin with a login set: a cross-site form riding on cached HTTP Basic
 * credentials, cross-origin changes, an open redirect through the login page and dot segments that
 * reach the web shell without a login.
 */
class WebHardeningTest {

    private static final String PASSWORD = "correct horse";
    private static final String BASIC =
            "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    private static final String CHANGE = "{\"bridge\": {\"name\": \"owned\"}}";

    private UiFixture ui;

    @BeforeEach
    void start() throws Exception {
        ui = new UiFixture();
        ui.store.apply(ui.store.current().withAdmin(new AdminSettings("admin", PasswordHash.hash(PASSWORD))));
    }

    @AfterEach
    void stop() throws Exception {
        ui.close();
    }

    /** A request as a browser sends it: no X-Requested-With unless a test adds one. */
    private HttpRequest.Builder browser(String path) {
        return HttpRequest.newBuilder(URI.create(ui.base + path));
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return new ApiClient("").send(request);
    }

    private String bridgeName() throws Exception {
        return ConfigFile.load(ui.configFile).bridge().name();
    }

    @Test
    void aCrossSiteFormCannotRideOnCachedBasicCredentials() throws Exception {
        HttpResponse<String> form = send(browser("/api/bridge/disconnect")
                .header("Authorization", BASIC)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("x=1"))
                .build());
        assertEquals(403, form.statusCode(), form.body());
        HttpResponse<String> multipart = send(browser("/api/bridge/disconnect")
                .header("Authorization", BASIC)
                .header("Content-Type", "multipart/form-data; boundary=x")
                .POST(HttpRequest.BodyPublishers.ofString("--x--"))
                .build());
        assertEquals(403, multipart.statusCode(), multipart.body());
        HttpResponse<String> noCorsFetch = send(browser("/api/bridge/disconnect")
                .header("Authorization", BASIC)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertEquals(403, noCorsFetch.statusCode(), "a body-less POST without a content type is a simple request too");
        assertTrue(ui.connected.get(), "nothing was disconnected");

        HttpResponse<String> textPlain = send(browser("/api/config")
                .header("Authorization", BASIC)
                .header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString(CHANGE))
                .build());
        assertEquals(403, textPlain.statusCode(), textPlain.body());
        assertTrue(
                textPlain.body().contains("X-Requested-With"),
                "the answer says what a script must send: " + textPlain.body());
        assertFalse(bridgeName().equals("owned"));
    }

    @Test
    void basicWithASessionCookieIsABrowserAndNeedsTheCsrfToken() throws Exception {
        ApiClient browser = new ApiClient(ui.base);
        browser.session();
        HttpResponse<String> withCookie = browser.send(browser.request("/api/config")
                .header("Authorization", BASIC)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(CHANGE))
                .build());
        assertEquals(403, withCookie.statusCode(), withCookie.body());
        assertEquals(
                "CSRF token missing or wrong",
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(withCookie.body())
                        .path("error")
                        .asText());
        assertFalse(bridgeName().equals("owned"));
        HttpResponse<String> withToken = browser.send(browser.request("/api/config")
                .header("Authorization", BASIC)
                .header("X-CSRF-Token", browser.csrfToken)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(CHANGE))
                .build());
        assertEquals(200, withToken.statusCode(), "the UI's own pages send the token: " + withToken.body());
    }

    @Test
    void changesFromAnotherOriginAreRefusedWhateverTheAuthentication() throws Exception {
        for (String origin : List.of(
                "https://evil.example",
                "null",
                "http://127.0.0.1:1",
                "http://localhost:" + ui.server.address().getPort())) {
            HttpResponse<String> basic = send(browser("/api/config")
                    .header("Authorization", BASIC)
                    .header("Origin", origin)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(CHANGE))
                    .build());
            assertEquals(403, basic.statusCode(), origin + ": " + basic.body());
        }
        HttpResponse<String> crossSite = send(browser("/api/config")
                .header("Authorization", BASIC)
                .header("Sec-Fetch-Site", "cross-site")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(CHANGE))
                .build());
        assertEquals(403, crossSite.statusCode(), crossSite.body());
        HttpResponse<String> sameSite = send(browser("/api/config")
                .header("Authorization", BASIC)
                .header("Sec-Fetch-Site", "same-site")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(CHANGE))
                .build());
        assertEquals(403, sameSite.statusCode(), "another port of the same host is another origin: " + sameSite.body());

        ApiClient session = new ApiClient(ui.base);
        HttpResponse<String> login = session.send(session.request("/api/login")
                .header("Origin", "https://evil.example")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"admin\",\"password\":\"" + PASSWORD + "\"}"))
                .build());
        assertEquals(403, login.statusCode(), "no login CSRF either: " + login.body());
        assertFalse(bridgeName().equals("owned"));
    }

    @Test
    void scriptsWithBasicAndTheUiOwnRequestsStillWork() throws Exception {
        HttpResponse<String> json = send(browser("/api/config")
                .header("Authorization", BASIC)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(CHANGE))
                .build());
        assertEquals(200, json.statusCode(), "curl -u with a JSON body: " + json.body());
        assertEquals("owned", bridgeName());
        HttpResponse<String> requestedWith = send(browser("/api/bridge/disconnect")
                .header("Authorization", BASIC)
                .header("X-Requested-With", "curl")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertTrue(requestedWith.statusCode() < 300, "a body-less POST with X-Requested-With: " + requestedWith.body());
        assertFalse(ui.connected.get());

        String self = "http://127.0.0.1:" + ui.server.address().getPort();
        HttpResponse<String> sameOrigin = send(browser("/api/bridge/connect")
                .header("Authorization", BASIC)
                .header("Origin", self)
                .header("Sec-Fetch-Site", "same-origin")
                .header("X-Requested-With", "fetch")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertTrue(sameOrigin.statusCode() < 300, sameOrigin.body());
        assertTrue(ui.connected.get());
    }

    @Test
    void theLoginPageIsNeverServedWithANextThatLeavesTheSite() throws Exception {
        for (String next : List.of(
                "//evil.example/",
                "/%09/evil.example",
                "/%0A/evil.example",
                "/%0D/evil.example",
                "/%5Cevil.example",
                "%2F%2Fevil.example",
                "%2F%5Cevil.example",
                "https://evil.example/",
                "https:evil.example",
                "javascript:alert(1)",
                "evil.example",
                "/%00/evil.example",
                "/%E2%80%A8/x",
                "%252F%252Fevil.example")) {
            HttpResponse<String> page = send(browser("/login.html?next=" + next).build());
            assertEquals(302, page.statusCode(), "next=" + next);
            assertEquals("/login.html", page.headers().firstValue("location").orElse(""), "next=" + next);
        }
        for (String next : List.of("%2F", "%2Findex.html%3Fx%3D1", "%2F%23sessions", "/config%3Fpage%3Dbridge")) {
            assertEquals(200, send(browser("/login.html?next=" + next).build()).statusCode(), "next=" + next);
        }
        assertEquals(200, send(browser("/login.html").build()).statusCode());
    }

    /** A request line sent as is (no client-side normalisation of the path); answers the status code. */
    private int rawGet(String path) throws Exception {
        return rawGet(path, "127.0.0.1");
    }

    private int rawGet(String path, String host) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", ui.server.address().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertFalse(response.contains("<nav"), path + " served the web shell: " + response);
            return Integer.parseInt(response.substring(9, 12));
        }
    }

    @Test
    void dotSegmentsAndEncodedSeparatorsDoNotReachTheShell() throws Exception {
        for (String path : List.of(
                "/assets/../index.html",
                "/assets/%2e%2e/index.html",
                "/assets/%2E%2E/index.html",
                "/assets/.%2e/index.html",
                "/assets/..%2findex.html",
                "/assets/..%2Findex.html",
                "/assets/..%5cindex.html",
                "/assets/..\\index.html",
                "/assets/..;/index.html",
                "/assets;x/../index.html",
                "/assets//../index.html",
                "/assets/./../index.html",
                "/assets/%252e%252e/index.html",
                "/assets/%c0%ae%c0%ae/index.html",
                "/assets/%2e%2e%2findex.html",
                "/login.html/../index.html",
                "/assets/../",
                "/assets/..",
                "/./index.html",
                "//index.html",
                "/assets/%00/../index.html")) {
            assertEquals(400, rawGet(path), path);
        }
        assertEquals(302, rawGet("/index.html"), "the shell itself still redirects to the login");
        assertEquals(302, rawGet("/"));
        assertEquals(200, rawGet("/assets/login.js"));
        assertEquals(200, rawGet("/login.html"));
        assertEquals(200, rawGet("/assets/pages/status.js"));
        assertEquals(401, rawGet("/api/sessions/abc%2Fdef%40host"), "ids under /api may be encoded");
        assertEquals(400, rawGet("/api/../index.html"), "but no dot segments there either");
        assertEquals(400, rawGet("/api/%2e%2e/index.html"));
    }

    @Test
    void anOpenUiAnswersOnlyToLoopbackNamesNotToARebindingSite() throws Exception {
        ui.store.apply(ui.store.current().withAdmin(AdminSettings.defaults()));
        int port = ui.server.address().getPort();
        for (String host : List.of(
                "evil.example:" + port,
                "evil.example",
                "127.0.0.1.evil.example:" + port,
                "localhost.evil.example",
                "10.0.0.1:" + port,
                "")) {
            assertEquals(403, rawGet("/api/session", host), "Host: " + host);
        }
        for (String host :
                List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST", "127.0.0.2:" + port, "[::1]:" + port)) {
            assertEquals(200, rawGet("/api/session", host), "Host: " + host);
        }
    }
}
