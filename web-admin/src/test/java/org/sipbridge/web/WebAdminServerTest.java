package org.sipbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.WebSettings;
import org.sipbridge.contract.api.CallSession;
import org.sipbridge.contract.api.CallSessionDetail;
import org.sipbridge.contract.api.SelfCheckReport;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.status.AdapterStatus;
import org.sipbridge.contract.status.BridgeState;
import org.sipbridge.contract.status.BridgeStatus;
import org.sipbridge.contract.status.RegistrationStatus;
import org.sipbridge.contract.status.ServerStatus;
import org.sipbridge.contract.tls.CertificateDetails;
import org.sipbridge.contract.tls.UntrustedChain;

class WebAdminServerTest {

    private static final BridgeStatus STATUS = new BridgeStatus(
            BridgeState.NOT_READY,
            List.of(Reason.notReady("sip", "The phone has not registered with the bridge", "Check the phone")),
            List.of(Reason.warning("provisioning", "Upstream unreachable", "")),
            "Desk",
            new AdapterStatus("lan", "eth0", "eth0", "eth0", "198.18.1.1", "198.18.1.0/24", true, ""),
            new AdapterStatus("vpn", "tun9", "", "", "", "", false, "no adapter named tun9"),
            List.of(new ServerStatus(
                    "198.19.2.10:5060", ServerStatus.ServerState.UP, true, Instant.parse("2026-11-22T08:00:00Z"), 12)),
            List.of(new RegistrationStatus("sip:1001@pbx", "sip:1001@198.18.1.10:5060", 3600, "198.19.2.10:5060")),
            List.of("web.port"),
            "1.2.3",
            "golf",
            Instant.parse("2026-11-22T07:00:00Z"));

    private final HttpClient client =
            HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
    private WebAdminServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private String base() throws Exception {
        server = new WebAdminServer(new WebSettings("127.0.0.1", 0), () -> STATUS);
        server.start();
        return "http://127.0.0.1:" + server.address().getPort();
    }

    /** The CSRF token of this client's (open UI) session; the cookie stays in the client. */
    private String csrf(String base) throws Exception {
        String body = send(HttpRequest.newBuilder(URI.create(base + "/api/session"))
                        .build())
                .body();
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(body)
                .path("csrfToken")
                .asText();
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void statusIsServedAsJson() throws Exception {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(URI.create(base() + "/api/status")).build());
        assertEquals(200, response.statusCode());
        assertEquals(
                "application/json; charset=utf-8",
                response.headers().firstValue("content-type").orElse(""));
        assertEquals("no-store", response.headers().firstValue("cache-control").orElse(""));
        JsonNode json = new ObjectMapper().readTree(response.body());
        assertEquals("NOT_READY", json.path("state").asText());
        assertEquals(
                "The phone has not registered with the bridge",
                json.path("reasons").path(0).path("message").asText());
        assertEquals("NOT_READY", json.path("reasons").path(0).path("severity").asText());
        assertEquals("198.18.1.1", json.path("lanAdapter").path("address").asText());
        assertEquals(
                "no adapter named tun9", json.path("vpnAdapter").path("problem").asText());
        assertEquals("UP", json.path("servers").path(0).path("state").asText());
        assertEquals(
                "2026-11-22T08:00:00Z",
                json.path("servers").path(0).path("lastResponse").asText());
        assertEquals(
                3600, json.path("registrations").path(0).path("expiresInSec").asInt());
        assertEquals("2026-11-22T07:00:00Z", json.path("runningSince").asText());
        assertEquals("1.2.3", json.path("version").asText());
        assertEquals("web.port", json.path("pendingRestart").path(0).asText());
    }

    @Test
    void theSelfCheckAndTheMetricsAreServedWhenTheDaemonProvidesThem() throws Exception {
        String missing = base();
        assertEquals(
                404,
                send(HttpRequest.newBuilder(URI.create(missing + "/api/check")).build())
                        .statusCode());
        assertEquals(
                404,
                send(HttpRequest.newBuilder(URI.create(missing + "/api/provisioning"))
                                .build())
                        .statusCode(),
                "the status-only server has no provisioning");
        server.stop();
        server = new WebAdminServer(new WebSettings("127.0.0.1", 0), () -> STATUS)
                .withSelfCheck(() -> new SelfCheckReport(
                        false,
                        "2026-12-05T09:00:00Z",
                        List.of(new SelfCheckReport.Check("clock", "Clock", "FAIL", "off by 2 min", "Sync the clock"))))
                .withMetrics(() -> java.util.List.of(
                        org.sipbridge.contract.metrics.Metric.gauge("sipbridge_ready", "1 when Ready", 0)));
        server.start();
        String base = "http://127.0.0.1:" + server.address().getPort();
        HttpResponse<String> check =
                send(HttpRequest.newBuilder(URI.create(base + "/api/check")).build());
        assertEquals(200, check.statusCode());
        assertEquals(
                "clock",
                new ObjectMapper()
                        .readTree(check.body())
                        .path("checks")
                        .path(0)
                        .path("id")
                        .asText());
        HttpResponse<String> metrics =
                send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build());
        assertEquals(200, metrics.statusCode());
        assertEquals(
                "# HELP sipbridge_ready 1 when Ready\n# TYPE sipbridge_ready gauge\nsipbridge_ready 0\n",
                metrics.body());
    }

    @Test
    void unknownPathsAndMethodsGetJsonErrors() throws Exception {
        String base = base();
        HttpResponse<String> missing =
                send(HttpRequest.newBuilder(URI.create(base + "/api/nothing")).build());
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("no such resource: /api/nothing"), missing.body());
        HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(base + "/api/status"))
                .header("X-CSRF-Token", csrf(base))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
        assertEquals(405, post.statusCode());
    }

    @Test
    void aFailingStatusSupplierGivesA500NotAHang() throws Exception {
        server = new WebAdminServer(new WebSettings("127.0.0.1", 0), () -> {
            throw new IllegalStateException("boom");
        });
        server.start();
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.address().getPort() + "/api/status"))
                .build());
        assertEquals(500, response.statusCode());
    }

    @Test
    void aTakenPortIsReportedWithTheAddress() throws Exception {
        try (java.net.ServerSocket taken =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            WebAdminServer second =
                    new WebAdminServer(new WebSettings("127.0.0.1", taken.getLocalPort()), () -> STATUS);
            BindException e = assertThrows(BindException.class, second::start);
            assertTrue(
                    e.getMessage().startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("Address already in use"), e.getMessage());
        }
    }

    /** A stand-in for the daemon's view of the provisioning proxy: one untrusted chain until trusted. */
    private static final class FakeCertificates implements UpstreamCertificates {
        private static final CertificateDetails LEAF = new CertificateDetails(
                "CN=prov.corp",
                "CN=Corp CA",
                "01",
                Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2027-01-01T00:00:00Z"),
                "SHA256withRSA",
                "AB:CD",
                List.of("prov.corp"));
        private static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        volatile boolean trusted;

        @Override
        public java.util.Optional<UntrustedChain> untrusted() {
            return trusted
                    ? java.util.Optional.empty()
                    : java.util.Optional.of(new UntrustedChain(
                            "prov.corp:443",
                            Instant.parse("2026-11-22T08:00:00Z"),
                            "not trusted",
                            true,
                            List.of(LEAF),
                            PEM));
        }

        @Override
        public java.util.Optional<String> untrustedPem() {
            return trusted ? java.util.Optional.empty() : java.util.Optional.of(PEM);
        }

        @Override
        public CertificateDetails trust(String fingerprint) {
            if (!"AB:CD".equals(fingerprint)) {
                throw new IllegalArgumentException("the upstream now presents another certificate");
            }
            trusted = true;
            return LEAF;
        }
    }

    private static CallSession call(String callId) {
        return new CallSession(
                callId,
                "Desk",
                "2000",
                true,
                "ANSWERED",
                Instant.parse("2026-11-22T08:00:00Z"),
                null,
                null,
                5,
                null,
                null,
                "198.18.1.10");
    }

    @Test
    void untrustedCertificateCanBeReadDownloadedAndTrusted() throws Exception {
        FakeCertificates certificates = new FakeCertificates();
        server = new WebAdminServer(
                new WebSettings("127.0.0.1", 0), () -> STATUS, UiFixture::provisioning, certificates, new Sessions() {
                    @Override
                    public List<CallSession> list(String filter) {
                        return List.of(call("filtered by " + filter));
                    }

                    @Override
                    public java.util.Optional<CallSessionDetail> get(String callId) {
                        return "a@b".equals(callId)
                                ? java.util.Optional.of(new CallSessionDetail(call(callId), List.of()))
                                : java.util.Optional.empty();
                    }
                });
        server.start();
        String base = "http://127.0.0.1:" + server.address().getPort() + "/api/certificates/untrusted";
        String token = csrf("http://127.0.0.1:" + server.address().getPort());
        HttpResponse<String> details =
                send(HttpRequest.newBuilder(URI.create(base)).build());
        assertEquals(200, details.statusCode());
        assertTrue(details.body().contains("CN=prov.corp"));
        HttpResponse<String> pem =
                send(HttpRequest.newBuilder(URI.create(base + "/pem")).build());
        assertEquals(
                "application/x-pem-file",
                pem.headers().firstValue("content-type").orElse(""));
        assertTrue(pem.body().startsWith("-----BEGIN CERTIFICATE-----"));
        HttpResponse<String> wrong = send(HttpRequest.newBuilder(URI.create(base + "/trust"))
                .header("X-CSRF-Token", token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"sha256\": \"00:11\"}"))
                .build());
        assertEquals(409, wrong.statusCode());
        HttpResponse<String> missing = send(HttpRequest.newBuilder(URI.create(base + "/trust"))
                .header("X-CSRF-Token", token)
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
        assertEquals(400, missing.statusCode());
        assertTrue(missing.body().contains("sha256"), missing.body());
        HttpResponse<String> trusted = send(HttpRequest.newBuilder(URI.create(base + "/trust"))
                .header("X-CSRF-Token", token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"sha256\": \"AB:CD\"}"))
                .build());
        assertEquals(200, trusted.statusCode(), trusted.body());
        assertEquals(404, send(HttpRequest.newBuilder(URI.create(base)).build()).statusCode());
        HttpResponse<String> provisioning = send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.address().getPort() + "/api/provisioning"))
                .build());
        assertEquals(200, provisioning.statusCode());
        assertEquals(
                "198.18.1.1:5060",
                new ObjectMapper()
                        .readTree(provisioning.body())
                        .at("/phoneConfig/outboundProxy")
                        .asText());
        String api = "http://127.0.0.1:" + server.address().getPort() + "/api/sessions";
        HttpResponse<String> list =
                send(HttpRequest.newBuilder(URI.create(api + "?filter=jane")).build());
        assertTrue(list.body().contains("\"callId\" : \"filtered by jane\""), list.body());
        assertEquals(
                200,
                send(HttpRequest.newBuilder(URI.create(api + "/a%40b")).build()).statusCode());
        assertEquals(
                404,
                send(HttpRequest.newBuilder(URI.create(api + "/nope")).build()).statusCode());
    }
}
