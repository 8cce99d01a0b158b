package org.sipbridge.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.sipbridge.config.AdminSettings;
import org.sipbridge.web.auth.PasswordHash;

/**
 * Whatever a client sends as login body, Authorization header or session cookie, the gate answers
 * with a refusal (400, 401, 403, 429), never a 500 and never a way in.
 */
class AuthInputFuzzTest {

    private static final Set<Integer> REFUSALS = Set.of(400, 401, 403, 429);
    private static UiFixture ui;

    @BeforeContainer
    static void start() throws Exception {
        ui = new UiFixture();
        ui.store.apply(ui.store.current().withAdmin(new AdminSettings("admin", PasswordHash.hash("correct horse"))));
    }

    @AfterContainer
    static void stop() throws Exception {
        ui.close();
    }

    @Provide
    Arbitrary<String> headerText() {
        // What an HTTP header can carry (the client refuses control characters).
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(200),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(120).map(s -> "Basic " + s),
                Arbitraries.strings()
                        .withCharRange('0', 'z')
                        .ofMaxLength(60)
                        .map(s -> "Basic "
                                + java.util.Base64.getEncoder()
                                        .encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    @Provide
    Arbitrary<String> body() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(300),
                Arbitraries.strings()
                        .ofMaxLength(40)
                        .tuple2()
                        .map(t -> "{\"user\": \"" + t.get1().replace("\"", "") + "\", \"password\": " + t.get2() + "}"),
                Arbitraries.of("{}", "[]", "null", "1", "{\"user\": 1, \"password\": []}", "{\"user\": {\"a\": 1}}"));
    }

    @Property(tries = 300)
    void loginBodiesAreRefusedCleanly(@ForAll("body") String body) throws Exception {
        ApiClient client = new ApiClient(ui.base);
        HttpResponse<String> response = client.send(client.request("/api/login")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
        assertTrue(
                REFUSALS.contains(response.statusCode()),
                response.statusCode() + " for " + body + ": " + response.body());
    }

    @Property(tries = 300)
    void authorizationHeadersAndCookiesAreRefusedCleanly(
            @ForAll("headerText") String header, @ForAll("headerText") String cookie) throws Exception {
        ApiClient client = new ApiClient(ui.base);
        HttpResponse<String> response = client.send(client.request("/api/status")
                .header("Authorization", header)
                .header("Cookie", "sipbridge_session=" + cookie.replace(";", ""))
                .build());
        assertTrue(
                REFUSALS.contains(response.statusCode()),
                response.statusCode() + " for " + header + ": " + response.body());
    }
}
