package org.sipbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.AdminSettings;
import org.sipbridge.config.tls.ListenerCertificate;
import org.sipbridge.web.auth.PasswordHash;

/** The UI over HTTPS for remote administration: refused without a login, Secure cookies with one. */
class RemoteAdminTest {

    private UiFixture ui;
    private RemoteAdminListener remote;

    @AfterEach
    void stop() throws Exception {
        if (remote != null) {
            remote.stop();
        }
        ui.close();
    }

    @Test
    void theRemoteListenerNeedsALoginAndMarksCookiesSecure() throws Exception {
        ui = new UiFixture();
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        ListenerCertificate certificate = ListenerCertificate.generated(ui.dir, "remote-admin", "remote administration",
                List.of(loopback), Clock.systemUTC());
        remote = (RemoteAdminListener) ui.server.remote(loopback, 0, certificate.serverContext());
        remote.start();
        String base = "https://127.0.0.1:" + remote.bound().getPort();

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("bridge", certificate.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(tls).cookieHandler(new CookieManager()).build();

        HttpResponse<String> open = client.send(HttpRequest.newBuilder(URI.create(base + "/api/session")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, open.statusCode(), "no open UI away from loopback, even on a loopback address");

        ui.store.apply(ui.store.current().withAdmin(new AdminSettings("admin", PasswordHash.hash("correct horse"))));
        String basic = "Basic " + Base64.getEncoder().encodeToString("admin:correct horse".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(base + "/api/status")).header("Authorization", basic).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(401, client.send(HttpRequest.newBuilder(URI.create(base + "/api/status")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create(base + "/api/login"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\": \"admin\", \"password\": \"correct horse\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode(), login.body());
        String cookie = login.headers().firstValue("set-cookie").orElse("");
        assertTrue(cookie.contains("; Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        assertTrue(new ObjectMapper().readTree(login.body()).path("csrfToken").asText().length() == 43);
        assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(base + "/api/status")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "the Secure cookie works over HTTPS");
    }
}
