package org.sipbridge.contract.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenerCertificateTest {

    private static final InetAddress LAN = address("192.168.1.20");
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T09:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dataDir;

    @Test
    void generatedCertificateSuitsPolycomPhones() throws Exception {
        X509Certificate certificate = ListenerCertificate.generated(
                        dataDir, "provisioning-https", "HTTPS provisioning", java.util.List.of(LAN), clock)
                .certificate();

        assertEquals("RSA", certificate.getPublicKey().getAlgorithm());
        assertEquals(
                2048, ((RSAPublicKey) certificate.getPublicKey()).getModulus().bitLength());
        assertEquals("SHA256withRSA", certificate.getSigAlgName());
        assertEquals(
                List.of("IP:192.168.1.20"), CertificateDetails.of(certificate).subjectAlternativeNames());
        assertEquals(-1, certificate.getBasicConstraints(), "an end-entity certificate, not a CA");
        assertEquals(
                List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"),
                certificate.getExtendedKeyUsage(),
                "server and client authentication (SIP TLS connects both ways)");
        assertEquals(null, certificate.getKeyUsage(), "no key usage: OpenSSL then treats it as self-signed");
        assertEquals(certificate.getSubjectX500Principal(), certificate.getIssuerX500Principal());
        certificate.verify(certificate.getPublicKey());
        assertTrue(certificate
                .getSubjectX500Principal()
                .getName()
                .startsWith("CN=sipbridge HTTPS provisioning 192.168.1.20"));
        Duration validity = Duration.between(
                certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant());
        assertTrue(validity.toDays() >= 3650, "about ten years: " + validity.toDays() + " days");
        assertTrue(certificate.getNotBefore().toInstant().isBefore(clock.instant()));
    }

    @Test
    void keptFilesAreReusedAndTheKeyIsOwnerOnly() throws Exception {
        X509Certificate first = ListenerCertificate.generated(
                        dataDir, "provisioning-https", "HTTPS provisioning", java.util.List.of(LAN), clock)
                .certificate();
        X509Certificate second = ListenerCertificate.generated(
                        dataDir, "provisioning-https", "HTTPS provisioning", java.util.List.of(LAN), clock)
                .certificate();

        assertEquals(first, second);
        assertEquals(
                PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(dataDir.resolve(ListenerCertificate.keyFile("provisioning-https"))));
        assertTrue(Files.readString(dataDir.resolve(ListenerCertificate.keyFile("provisioning-https")))
                .startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(Files.readString(dataDir.resolve(ListenerCertificate.certificateFile("provisioning-https")))
                .startsWith("-----BEGIN CERTIFICATE-----"));
    }

    @Test
    void aNewLanAddressGetsANewCertificate() throws Exception {
        X509Certificate first = ListenerCertificate.generated(
                        dataDir, "provisioning-https", "HTTPS provisioning", java.util.List.of(LAN), clock)
                .certificate();
        X509Certificate moved = ListenerCertificate.generated(
                        dataDir,
                        "provisioning-https",
                        "HTTPS provisioning",
                        java.util.List.of(address("192.168.1.77")),
                        clock)
                .certificate();

        assertNotEquals(first, moved);
        assertEquals(List.of("IP:192.168.1.77"), CertificateDetails.of(moved).subjectAlternativeNames());
    }

    @Test
    void aCertificateCloseToExpiryIsReplaced() throws Exception {
        X509Certificate first = ListenerCertificate.generated(
                        dataDir, "provisioning-https", "HTTPS provisioning", java.util.List.of(LAN), clock)
                .certificate();
        Clock nineYearsAndElevenMonthsLater = Clock.offset(clock, Duration.ofDays(3650 - 20));

        X509Certificate renewed = ListenerCertificate.generated(
                        dataDir,
                        "provisioning-https",
                        "HTTPS provisioning",
                        java.util.List.of(LAN),
                        nineYearsAndElevenMonthsLater)
                .certificate();

        assertNotEquals(first, renewed);
    }

    @Test
    void damagedKeptFilesAreReplaced() throws Exception {
        ListenerCertificate.generated(
                dataDir, "provisioning-https", "HTTPS provisioning", java.util.List.of(LAN), clock);
        Files.writeString(
                dataDir.resolve(ListenerCertificate.keyFile("provisioning-https")),
                "-----BEGIN PRIVATE KEY-----\nbroken\n");

        ListenerCertificate replaced = ListenerCertificate.generated(
                dataDir, "provisioning-https", "HTTPS provisioning", java.util.List.of(LAN), clock);

        assertTrue(replaced.serverContext() != null);
        assertEquals(
                replaced.certificate(),
                ListenerCertificate.generated(
                                dataDir, "provisioning-https", "HTTPS provisioning", java.util.List.of(LAN), clock)
                        .certificate());
    }

    @Test
    void suppliedKeyMustBelongToTheCertificate() throws Exception {
        SelfSignedCertificate one = SelfSignedCertificate.create("HTTPS provisioning", java.util.List.of(LAN), clock);
        SelfSignedCertificate other = SelfSignedCertificate.create("HTTPS provisioning", java.util.List.of(LAN), clock);
        Path certificate = Files.writeString(dataDir.resolve("cert.pem"), Pem.certificates(List.of(one.certificate())));
        Path wrongKey = Files.writeString(
                dataDir.resolve("key.pem"), Pem.privateKey(other.keyPair().getPrivate()));

        GeneralSecurityException refused =
                assertThrows(GeneralSecurityException.class, () -> ListenerCertificate.supplied(certificate, wrongKey));

        assertTrue(refused.getMessage().contains("does not belong"), refused.getMessage());
    }

    @Test
    void suppliedFilesWithoutACertificateOrKeyAreNamed() throws Exception {
        SelfSignedCertificate one = SelfSignedCertificate.create("HTTPS provisioning", java.util.List.of(LAN), clock);
        Path empty = Files.writeString(dataDir.resolve("empty.pem"), "nothing here\n");
        Path key = Files.writeString(
                dataDir.resolve("key.pem"), Pem.privateKey(one.keyPair().getPrivate()));
        Path certificate = Files.writeString(dataDir.resolve("cert.pem"), Pem.certificates(List.of(one.certificate())));

        assertTrue(assertThrows(java.io.IOException.class, () -> ListenerCertificate.supplied(empty, key))
                .getMessage()
                .contains("empty.pem"));
        assertTrue(assertThrows(java.io.IOException.class, () -> ListenerCertificate.supplied(certificate, empty))
                .getMessage()
                .contains("empty.pem"));
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
