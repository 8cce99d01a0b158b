package org.sipbridge.contract.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * What IT needs to decide whether to trust a certificate, as the status page shows it. The
 * fingerprint is SHA-256 over the DER encoding, upper-case hex pairs separated by colons.
 */
public record CertificateDetails(
        String subject,
        String issuer,
        String serialNumber,
        Instant notBefore,
        Instant notAfter,
        String signatureAlgorithm,
        String sha256Fingerprint,
        List<String> subjectAlternativeNames) {

    public CertificateDetails {
        subjectAlternativeNames = List.copyOf(subjectAlternativeNames);
    }

    public static CertificateDetails of(X509Certificate certificate) {
        return new CertificateDetails(
                certificate.getSubjectX500Principal().getName(),
                certificate.getIssuerX500Principal().getName(),
                HexFormat.ofDelimiter(":")
                        .withUpperCase()
                        .formatHex(certificate.getSerialNumber().toByteArray()),
                certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(),
                certificate.getSigAlgName(),
                fingerprint(certificate),
                alternativeNames(certificate));
    }

    public static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint a certificate", e);
        }
    }

    /** Accepts what people paste: any case, with or without colons or spaces. */
    public static String normalizeFingerprint(String text) {
        return text.replaceAll("[^0-9A-Fa-f]", "").toUpperCase(Locale.ROOT);
    }

    public boolean hasFingerprint(String text) {
        return normalizeFingerprint(sha256Fingerprint).equals(normalizeFingerprint(text));
    }

    /** {@code DNS:prov.example.com}, {@code IP:10.1.2.3}; other name types are rare on servers. */
    private static List<String> alternativeNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
            if (entries != null) {
                for (List<?> entry : entries) {
                    int type = (Integer) entry.get(0);
                    String prefix = type == 2 ? "DNS:" : type == 7 ? "IP:" : type == 6 ? "URI:" : "other:";
                    names.add(prefix + entry.get(1));
                }
            }
        } catch (CertificateParsingException e) {
            names.add("unreadable: " + e.getMessage());
        }
        return names;
    }
}
