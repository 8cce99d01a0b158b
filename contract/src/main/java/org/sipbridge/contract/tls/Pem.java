package org.sipbridge.contract.tls;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * PEM text in and out. Objects come back from the JDK's own providers (not BouncyCastle's) so that
 * JSSE treats them like any other certificate or key. The usual files (certificates, an unencrypted
 * PKCS#8 key: what the bridge writes) are read by {@link PlainPem} without BouncyCastle, which a
 * later start then does not load at all (~160 classes, #19); the rest goes to {@link BouncyCastlePem}.
 * BouncyCastle's types stay out of this class's signatures and bodies, so verifying it loads none.
 */
public final class Pem {

    private Pem() {}

    public static String certificates(List<X509Certificate> certificates) {
        return BouncyCastlePem.certificates(certificates);
    }

    /** Unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}); the file holding it is owner-only. */
    public static String privateKey(PrivateKey key) {
        return BouncyCastlePem.privateKey(key);
    }

    /** Every {@code CERTIFICATE} block, in order; other blocks are skipped. */
    public static List<X509Certificate> readCertificates(String text) throws IOException {
        Optional<List<X509Certificate>> plain = PlainPem.certificates(text);
        return plain.isPresent() ? plain.get() : BouncyCastlePem.readCertificates(text);
    }

    /** The first private key: PKCS#8, or the traditional RSA/EC forms; encrypted keys are refused. */
    public static PrivateKey readPrivateKey(String text) throws IOException {
        Optional<PrivateKey> plain = PlainPem.privateKey(text);
        return plain.isPresent() ? plain.get() : BouncyCastlePem.readPrivateKey(text);
    }
}
