package org.sipbridge.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.tls.CertificateDetails;
import org.sipbridge.contract.tls.Pem;
import org.sipbridge.contract.tls.UntrustedChain;
import org.sipbridge.provisioning.tls.PinnedCertificates;

/** An https upstream with a self-signed certificate: refused, shown, trusted, and still trusted after a restart. */
class UpstreamTlsFunctionalTest {

    private static final String FILE = "/0004f2aabbcc.cfg";
    private static final byte[] CONTENT = "<polycomConfig/>\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dataDir;

    @Test
    void selfSignedUpstreamIsRefusedThenTrustedAndStaysTrustedAfterRestart() throws Exception {
        TestCertificates.Issued office = TestCertificates.selfSigned("localhost", true);
        try (TestUpstream upstream = TestUpstream.https(office.serverContext())) {
            upstream.files.put("/polycom" + FILE, CONTENT);
            String url = "https://localhost:" + upstream.port() + "/polycom/";

            try (ProxyUnderTest proxy = ProxyUnderTest.start(dataDir, url)) {
                RawHttp.Response refused = proxy.get(false, FILE);

                assertEquals(502, refused.status());
                assertTrue(refused.text().contains("not issued by an authority this computer trusts"), refused.text());
                assertTrue(upstream.received.isEmpty(), "no request went to an untrusted server");
                Reason reason = proxy.service.reasons().get(0);
                assertTrue(
                        reason.message().contains(url + " presented a certificate the bridge does not trust"),
                        reason.message());
                assertTrue(
                        reason.message().contains(CertificateDetails.fingerprint(office.certificate())),
                        reason.message());

                UntrustedChain chain = proxy.service.untrustedUpstream().orElseThrow();
                CertificateDetails leaf = chain.leaf();
                assertEquals("localhost:" + upstream.port(), chain.upstream());
                assertTrue(chain.trustable());
                assertEquals(office.certificate().getSubjectX500Principal().getName(), leaf.subject());
                assertTrue(leaf.subject().contains("CN=localhost"), leaf.subject());
                assertEquals(leaf.subject(), leaf.issuer());
                assertEquals(office.certificate().getNotAfter().toInstant(), leaf.notAfter());
                assertEquals(office.certificate().getNotBefore().toInstant(), leaf.notBefore());
                assertEquals("SHA256withRSA", leaf.signatureAlgorithm());
                assertEquals(CertificateDetails.of(office.certificate()).serialNumber(), leaf.serialNumber());
                assertEquals(List.of("DNS:localhost", "IP:127.0.0.1"), leaf.subjectAlternativeNames());
                assertEquals(
                        List.of(office.certificate()),
                        Pem.readCertificates(proxy.service.untrustedChainPem().orElseThrow()));

                assertThrows(
                        IllegalArgumentException.class,
                        () -> proxy.service.trustUntrusted("00:11:22"),
                        "a certificate IT did not see is never pinned");
                CertificateDetails pinned =
                        proxy.service.trustUntrusted(leaf.sha256Fingerprint().toLowerCase(Locale.ROOT));

                assertEquals(leaf, pinned);
                assertTrue(proxy.service.untrustedUpstream().isEmpty());
                RawHttp.Response trusted = proxy.get(true, FILE);
                assertEquals(200, trusted.status());
                assertEquals(new String(CONTENT, StandardCharsets.UTF_8), trusted.text());
                assertEquals("/polycom" + FILE, upstream.last().rawUri());
                assertEquals("localhost:" + upstream.port(), upstream.last().header("Host"));
                assertEquals(List.of(), proxy.service.reasons());
                assertTrue(Files.readString(dataDir.resolve(PinnedCertificates.FILE_NAME))
                        .contains("BEGIN CERTIFICATE"));
            }

            try (ProxyUnderTest restarted = ProxyUnderTest.start(dataDir, url)) {
                assertEquals(200, restarted.get(false, FILE).status(), "the pin survives a restart");
                assertEquals(
                        List.of(CertificateDetails.of(office.certificate())), restarted.service.pinnedCertificates());
            }
        }
    }

    @Test
    void certificateForAnotherHostCannotBeFixedByTrustingIt() throws Exception {
        TestCertificates.Issued elsewhere = TestCertificates.selfSigned("prov.example.com", false);
        try (TestUpstream upstream = TestUpstream.https(elsewhere.serverContext());
                ProxyUnderTest proxy = ProxyUnderTest.start(dataDir, "https://localhost:" + upstream.port() + "/")) {
            assertEquals(502, proxy.get(false, FILE).status());

            UntrustedChain chain = proxy.service.untrustedUpstream().orElseThrow();
            assertFalse(chain.trustable());
            assertTrue(chain.problem().contains("localhost"), chain.problem());
            IllegalStateException refusal =
                    assertThrows(IllegalStateException.class, () -> proxy.service.trustUntrusted());
            assertTrue(refusal.getMessage().contains("would not help"), refusal.getMessage());
            assertFalse(Files.exists(dataDir.resolve(PinnedCertificates.FILE_NAME)));
        }
    }

    @Test
    void theServerSwitchingCertificatesAfterReviewPinsNothing() throws Exception {
        TestCertificates.Issued first = TestCertificates.selfSigned("localhost", true);
        TestCertificates.Issued second = TestCertificates.selfSigned("localhost", true);
        String reviewed;
        int port;
        try (TestUpstream upstream = TestUpstream.https(first.serverContext());
                ProxyUnderTest proxy = ProxyUnderTest.start(dataDir, "https://localhost:" + upstream.port() + "/")) {
            port = upstream.port();
            proxy.get(false, FILE);
            reviewed = proxy.service.untrustedUpstream().orElseThrow().leaf().sha256Fingerprint();
        }
        try (TestUpstream upstream = TestUpstream.https(second.serverContext());
                ProxyUnderTest proxy = ProxyUnderTest.start(dataDir, "https://localhost:" + upstream.port() + "/")) {
            proxy.get(false, FILE);

            assertThrows(IllegalArgumentException.class, () -> proxy.service.trustUntrusted(reviewed));
            assertTrue(proxy.service.pinnedCertificates().isEmpty());
            assertTrue(port > 0);
        }
    }
}
