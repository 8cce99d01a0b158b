package org.sipbridge.sip.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.sipbridge.config.TlsSettings;
import org.sipbridge.contract.tls.ListenerCertificate;
import org.sipbridge.contract.tls.Pem;

/**
 * The bridge's TLS identity for SIP: the certificate IT supplied or the one made on first start
 * (naming the LAN and VPN addresses), trusting the JDK's authorities plus those IT lists in
 * {@code protocols.tls.trustedAuthoritiesFile}.
 */
public final class SipTlsIdentity {

    /** Files in the data folder: sip-tls-cert.pem and sip-tls-key.pem. */
    public static final String CERTIFICATE_STEM = "sip-tls";

    private final ListenerCertificate certificate;
    private final List<X509Certificate> extraAuthorities;

    private SipTlsIdentity(ListenerCertificate certificate, List<X509Certificate> extraAuthorities) {
        this.certificate = certificate;
        this.extraAuthorities = List.copyOf(extraAuthorities);
    }

    public static SipTlsIdentity load(TlsSettings settings, Path dataDir, List<InetAddress> addresses, Clock clock)
            throws IOException, GeneralSecurityException {
        ListenerCertificate certificate = settings.certificateFile().isEmpty()
                ? ListenerCertificate.generated(dataDir, CERTIFICATE_STEM, "SIP TLS", addresses, clock)
                : ListenerCertificate.supplied(Path.of(settings.certificateFile()), Path.of(settings.privateKeyFile()));
        List<X509Certificate> authorities = settings.trustedAuthoritiesFile().isEmpty()
                ? List.of()
                : Pem.readCertificates(
                        Files.readString(Path.of(settings.trustedAuthoritiesFile()), StandardCharsets.US_ASCII));
        return new SipTlsIdentity(certificate, authorities);
    }

    public ListenerCertificate certificate() {
        return certificate;
    }

    /** Authorities IT added, beyond the JDK's (the reference product's "Trusted Authorities Installed"). */
    public int extraAuthorities() {
        return extraAuthorities.size();
    }

    public SSLContext context() throws GeneralSecurityException {
        return certificate.context(trustManagers());
    }

    private TrustManager[] trustManagers() throws GeneralSecurityException {
        TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jdk.init((KeyStore) null);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an empty trust store", e);
        }
        int i = 0;
        for (TrustManager manager : jdk.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                for (X509Certificate issuer : x509.getAcceptedIssuers()) {
                    store.setCertificateEntry("jdk-" + i++, issuer);
                }
            }
        }
        for (X509Certificate authority : extraAuthorities) {
            store.setCertificateEntry("extra-" + i++, authority);
        }
        TrustManagerFactory combined = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        combined.init(store);
        return combined.getTrustManagers();
    }
}
