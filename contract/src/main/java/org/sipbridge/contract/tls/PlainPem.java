package org.sipbridge.contract.tls;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The common PEM files read with the JDK alone: {@code CERTIFICATE} blocks and an unencrypted PKCS#8
 * {@code PRIVATE KEY} (RSA or EC), which is what the bridge writes for itself. BouncyCastle's PEM
 * reader costs ~160 classes at every start (#19); {@link Pem} still uses it for anything else (other
 * block types, headers, stray text), so the answers for unusual files stay exactly BouncyCastle's.
 */
final class PlainPem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN (CERTIFICATE|PRIVATE KEY)-----\\r?\\n([A-Za-z0-9+/=\\r\\n]+)-----END \\1-----\\s*");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC");

    private PlainPem() {}

    /** Every certificate, when the text is only certificate and key blocks that the JDK reads. */
    static Optional<List<X509Certificate>> certificates(String text) {
        Optional<List<Block>> blocks = blocks(text);
        if (blocks.isEmpty()) {
            return Optional.empty();
        }
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks.get()) {
                if (block.type().equals("CERTIFICATE")) {
                    certificates.add(
                            (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
        return Optional.of(certificates);
    }

    /** The first private key, when the text is only certificate and key blocks that the JDK reads. */
    static Optional<PrivateKey> privateKey(String text) {
        Optional<Block> key = blocks(text)
                .flatMap(blocks -> blocks.stream()
                        .filter(block -> block.type().equals("PRIVATE KEY"))
                        .findFirst());
        if (key.isEmpty()) {
            return Optional.empty();
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return Optional.of(KeyFactory.getInstance(algorithm)
                        .generatePrivate(new PKCS8EncodedKeySpec(key.get().der())));
            } catch (GeneralSecurityException notThisAlgorithm) {
                // the next one, then BouncyCastle
            }
        }
        return Optional.empty();
    }

    /** The blocks, when the whole text is nothing but well-formed blocks of the two types. */
    private static Optional<List<Block>> blocks(String text) {
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text.strip() + "\n");
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            try {
                blocks.add(new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            end = matcher.end();
        }
        return end == text.strip().length() + 1 && !blocks.isEmpty() ? Optional.of(blocks) : Optional.empty();
    }

    private record Block(String type, byte[] der) {}
}
