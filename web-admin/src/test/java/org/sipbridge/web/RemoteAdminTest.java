package org.sipbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.AdminSettings;
import org.sipbridge.contract.tls.ListenerCertificate;
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

    private InetSocketAddress startRemote() throws Exception {
        return startRemote(source -> false);
    }

    private InetSocketAddress startRemote(java.util.function.Predicate<InetAddress> refusedSource) throws Exception {
        ui = new UiFixture();
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        ListenerCertificate certificate = ListenerCertificate.generated(
                ui.dir, "remote-admin", "remote administration", List.of(loopback), Clock.systemUTC());
        remote = (RemoteAdminListener) ui.server.remote(loopback, 0, certificate.serverContext(), refusedSource);
        remote.start();
        return remote.bound();
    }

    /** Whether a handshake with only {@code protocol} and {@code suite} enabled on the client succeeds. */
    private static boolean handshake(InetSocketAddress server, String protocol, String suite) throws Exception {
        try (SSLSocket socket = (SSLSocket)
                trustingEverything().getSocketFactory().createSocket(server.getAddress(), server.getPort())) {
            socket.setSoTimeout(5000);
            socket.setEnabledProtocols(new String[] {protocol});
            socket.setEnabledCipherSuites(new String[] {suite});
            socket.startHandshake();
            return true;
        } catch (javax.net.ssl.SSLException | java.net.SocketException e) {
            return false;
        }
    }

    /** A client context that accepts any server certificate: the certificate is not what these tests are about. */
    private static SSLContext trustingEverything() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(
                null,
                new TrustManager[] {
                    new X509TrustManager() {
                        @Override
                        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public X509Certificate[] getAcceptedIssuers() {
                            return new X509Certificate[0];
                        }
                    }
                },
                null);
        return context;
    }

    @Test
    void aRefusedSourceGetsNoAnswerAtAll() throws Exception {
        InetSocketAddress server = startRemote(InetAddress::isLoopbackAddress);
        ui.store.apply(ui.store.current().withAdmin(new AdminSettings("admin", PasswordHash.hash("correct horse"))));
        String basic =
                "Basic " + Base64.getEncoder().encodeToString("admin:correct horse".getBytes(StandardCharsets.UTF_8));
        HttpClient client =
                HttpClient.newBuilder().sslContext(trustingEverything()).build();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + server.getPort() + "/api/status"))
                .header("Authorization", basic)
                .build();
        assertThrows(
                java.io.IOException.class,
                () -> client.send(request, HttpResponse.BodyHandlers.ofString()),
                "the connection is closed without a response");
    }

    @Test
    void onlyTls13AndTls12EcdheAeadSuitesAreOffered() throws Exception {
        InetSocketAddress server = startRemote();
        assertTrue(handshake(server, "TLSv1.3", "TLS_AES_128_GCM_SHA256"));
        assertTrue(handshake(server, "TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256"));
        assertTrue(handshake(server, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
        assertTrue(handshake(server, "TLSv1.2", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"));
        for (String weak : List.of(
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                "TLS_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_RSA_WITH_AES_128_CBC_SHA256",
                "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_DHE_RSA_WITH_AES_128_CBC_SHA")) {
            assertFalse(handshake(server, "TLSv1.2", weak), weak);
        }
    }

    @Test
    void theRemoteListenerNeedsALoginAndMarksCookiesSecure() throws Exception {
        ui = new UiFixture();
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        ListenerCertificate certificate = ListenerCertificate.generated(
                ui.dir, "remote-admin", "remote administration", List.of(loopback), Clock.systemUTC());
        remote = (RemoteAdminListener) ui.server.remote(loopback, 0, certificate.serverContext(), source -> false);
        remote.start();
        String base = "https://127.0.0.1:" + remote.bound().getPort();

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("bridge", certificate.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder()
                .sslContext(tls)
                .cookieHandler(new CookieManager())
                .build();

        HttpResponse<String> open = client.send(
                HttpRequest.newBuilder(URI.create(base + "/api/session")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, open.statusCode(), "no open UI away from loopback, even on a loopback address");

        ui.store.apply(ui.store.current().withAdmin(new AdminSettings("admin", PasswordHash.hash("correct horse"))));
        String basic =
                "Basic " + Base64.getEncoder().encodeToString("admin:correct horse".getBytes(StandardCharsets.UTF_8));
        assertEquals(
                200,
                client.send(
                                HttpRequest.newBuilder(URI.create(base + "/api/status"))
                                        .header("Authorization", basic)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode());
        assertEquals(
                401,
                client.send(
                                HttpRequest.newBuilder(URI.create(base + "/api/status"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode());
        HttpResponse<String> login = client.send(
                HttpRequest.newBuilder(URI.create(base + "/api/login"))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"user\": \"admin\", \"password\": \"correct horse\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode(), login.body());
        String cookie = login.headers().firstValue("set-cookie").orElse("");
        assertTrue(
                cookie.contains("; Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
                cookie);
        assertTrue(new ObjectMapper()
                        .readTree(login.body())
                        .path("csrfToken")
                        .asText()
                        .length()
                == 43);
        assertEquals(
                200,
                client.send(
                                HttpRequest.newBuilder(URI.create(base + "/api/status"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode(),
                "the Secure cookie works over HTTPS");
    }
}
