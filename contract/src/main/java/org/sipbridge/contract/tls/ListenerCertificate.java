package org.sipbridge.contract.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.sipbridge.contract.files.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate a TLS listener presents (HTTPS provisioning, SIP over TLS): one IT supplies (PEM
 * certificate chain and key), or one made on first start and kept in the data folder as
 * {@code <stem>-cert.pem} / {@code <stem>-key.pem}, so a phone told to trust it keeps trusting it.
 * A kept certificate is replaced only when it no longer fits: other addresses, fewer than 30 days
 * left, or unreadable files.
 */
public final class ListenerCertificate {
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final Logger log = LoggerFactory.getLogger(ListenerCertificate.class);

    private final List<X509Certificate> chain;
    private final PrivateKey key;

    private ListenerCertificate(List<X509Certificate> chain, PrivateKey key) {
        this.chain = List.copyOf(chain);
        this.key = key;
    }

    /** IT's certificate: the chain (leaf first) and its unencrypted private key, both PEM. */
    public static ListenerCertificate supplied(Path certificateFile, Path keyFile)
            throws IOException, GeneralSecurityException {
        List<X509Certificate> chain =
                Pem.readCertificates(Files.readString(certificateFile, StandardCharsets.US_ASCII));
        if (chain.isEmpty()) {
            throw new IOException(certificateFile + " holds no PEM certificate");
        }
        PrivateKey key;
        try {
            key = Pem.readPrivateKey(Files.readString(keyFile, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new IOException(keyFile + ": " + e.getMessage(), e);
        }
        if (!belongTogether(key, chain.get(0))) {
            throw new GeneralSecurityException(
                    "the private key in " + keyFile + " does not belong to the certificate in " + certificateFile);
        }
        return new ListenerCertificate(chain, key);
    }

    public static String certificateFile(String stem) {
        return stem + "-cert.pem";
    }

    public static String keyFile(String stem) {
        return stem + "-key.pem";
    }

    /**
     * The certificate kept in {@code dataDir} under {@code stem}, made (again) when there is none that
     * fits {@code addresses}.
     *
     * @param purpose what it is for, in log lines and its common name ("provisioning", "SIP")
     */
    public static ListenerCertificate generated(
            Path dataDir, String stem, String purpose, List<InetAddress> addresses, Clock clock)
            throws IOException, GeneralSecurityException {
        Path certificateFile = dataDir.resolve(certificateFile(stem));
        Path keyFile = dataDir.resolve(keyFile(stem));
        String shown =
                addresses.stream().map(InetAddress::getHostAddress).toList().toString();
        try {
            ListenerCertificate kept = supplied(certificateFile, keyFile);
            String unfit = kept.whyUnfit(addresses, clock);
            if (unfit == null) {
                return kept;
            }
            log.warn(
                    "Replacing the {} certificate ({}); phones that trusted the previous one must be given the new one",
                    purpose,
                    unfit);
        } catch (NoSuchFileException e) {
            log.info("Making the {} certificate for {}", purpose, shown);
        } catch (IOException | GeneralSecurityException e) {
            log.warn(
                    "Replacing the unusable {} certificate in {} ({}); phones that trusted the previous one must be"
                            + " given the new one",
                    purpose,
                    dataDir,
                    e.getMessage());
        }
        SelfSignedCertificate made = SelfSignedCertificate.create(purpose, addresses, clock);
        // The key first: a crash between the two writes leaves a pair that does not match, which the
        // next start detects and replaces, never a certificate without its key.
        AtomicFiles.writeOwnerOnly(
                keyFile, Pem.privateKey(made.keyPair().getPrivate()).getBytes(StandardCharsets.US_ASCII));
        AtomicFiles.writeOwnerOnly(
                certificateFile, Pem.certificates(List.of(made.certificate())).getBytes(StandardCharsets.US_ASCII));
        return new ListenerCertificate(
                List.of(made.certificate()), made.keyPair().getPrivate());
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    public List<X509Certificate> chain() {
        return chain;
    }

    /** The certificate chain as PEM: what IT installs on the phone as a trusted certificate. */
    public String pem() {
        return Pem.certificates(chain);
    }

    public SSLContext serverContext() throws GeneralSecurityException {
        return context(null);
    }

    /** An SSL context presenting this certificate and trusting what {@code trust} trusts (null: the JDK's). */
    public SSLContext context(javax.net.ssl.TrustManager[] trust) throws GeneralSecurityException {
        char[] password = new char[0];
        // An in-memory store only, never written: JKS, because PKCS12 encrypts the key on setKeyEntry and
        // decrypts it again in init, 10 000 PBKDF2 rounds each: ~0.1-0.2 s of CPU per listener at every start (#19).
        KeyStore store = KeyStore.getInstance("JKS");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an empty key store", e);
        }
        store.setKeyEntry("listener", key, password, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust, null);
        return context;
    }

    private String whyUnfit(List<InetAddress> addresses, Clock clock) {
        List<String> names = CertificateDetails.of(certificate()).subjectAlternativeNames();
        for (InetAddress address : addresses) {
            if (!names.contains("IP:" + address.getHostAddress())) {
                return "the address " + address.getHostAddress() + " is new";
            }
        }
        if (certificate().getNotAfter().toInstant().isBefore(clock.instant().plus(RENEW_BEFORE))) {
            return "the kept one expires on " + certificate().getNotAfter().toInstant();
        }
        return null;
    }

    /** Signs a probe with the key and checks it with the certificate's public key. */
    private static boolean belongTogether(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new GeneralSecurityException("unsupported private key type " + key.getAlgorithm());
        };
        byte[] probe = "sipbridge key check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        try {
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
