package org.sipbridge.contract.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class CertificateDetailsTest {

    @Test
    void fingerprintIsSha256OfTheEncodingInColonSeparatedHex() throws Exception {
        var certificate = SelfSignedCertificate.create(
                        "HTTPS provisioning", java.util.List.of(InetAddress.getByName("10.1.2.3")), Clock.systemUTC())
                .certificate();
        String expected = HexFormat.ofDelimiter(":")
                .withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));

        CertificateDetails details = CertificateDetails.of(certificate);

        assertEquals(expected, details.sha256Fingerprint());
        assertEquals(32 * 3 - 1, details.sha256Fingerprint().length());
        assertTrue(details.hasFingerprint(expected.toLowerCase(Locale.ROOT).replace(":", " ")));
        assertFalse(details.hasFingerprint(expected.substring(3)));
        assertEquals(certificate.getNotAfter().toInstant(), details.notAfter());
        assertEquals(
                HexFormat.ofDelimiter(":")
                        .withUpperCase()
                        .formatHex(certificate.getSerialNumber().toByteArray()),
                details.serialNumber());
    }
}
