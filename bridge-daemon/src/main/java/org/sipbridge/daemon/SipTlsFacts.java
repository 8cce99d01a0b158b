package org.sipbridge.daemon;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.sipbridge.config.TlsSettings;
import org.sipbridge.contract.tls.CertificateDetails;
import org.sipbridge.contract.tls.Pem;
import org.sipbridge.sip.SipRelayService;
import org.sipbridge.web.SipTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Certificate installed" and "Trusted authorities installed" of the Protocols page: the certificate
 * the running SIP relay presents, and the Java trust store's authorities plus those of
 * {@code protocols.tls.trustedAuthoritiesFile}.
 */
final class SipTlsFacts implements SipTls {

    private static final Logger log = LoggerFactory.getLogger(SipTlsFacts.class);

    private final Supplier<Optional<SipRelayService>> sip;
    private final Supplier<TlsSettings> settings;

    SipTlsFacts(Supplier<Optional<SipRelayService>> sip, Supplier<TlsSettings> settings) {
        this.sip = sip;
        this.settings = settings;
    }

    @Override
    public Optional<CertificateDetails> certificate() {
        return sip.get().flatMap(SipRelayService::tlsCertificate).map(c -> CertificateDetails.of(c.certificate()));
    }

    @Override
    public int trustedAuthorities() {
        return javaTrustStore() + fromFile(settings.get().trustedAuthoritiesFile());
    }

    private static int javaTrustStore() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509.getAcceptedIssuers().length;
                }
            }
        } catch (Exception e) {
            log.debug("Cannot read the Java trust store", e);
        }
        return 0;
    }

    private static int fromFile(String file) {
        if (file.isEmpty()) {
            return 0;
        }
        try {
            return Pem.readCertificates(Files.readString(Path.of(file), StandardCharsets.US_ASCII))
                    .size();
        } catch (Exception e) {
            log.debug("Cannot read {}", file, e);
            return 0;
        }
    }
}
