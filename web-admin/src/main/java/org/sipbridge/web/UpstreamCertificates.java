package org.sipbridge.web;

import java.util.Optional;
import org.sipbridge.contract.tls.CertificateDetails;
import org.sipbridge.contract.tls.UntrustedChain;

/**
 * The provisioning upstream's certificate that the bridge does not trust yet (the reference
 * product's "Untrusted Certificate" page), as the daemon provides it.
 */
public interface UpstreamCertificates {

    /** No provisioning proxy running: nothing untrusted, nothing to trust. */
    UpstreamCertificates NONE = new UpstreamCertificates() {
        @Override
        public Optional<UntrustedChain> untrusted() {
            return Optional.empty();
        }

        @Override
        public Optional<String> untrustedPem() {
            return Optional.empty();
        }

        @Override
        public CertificateDetails trust(String sha256Fingerprint) {
            throw new IllegalStateException("the provisioning proxy is not running");
        }
    };

    /** The untrusted chain (each certificate's issuer, subject, serial, validity, algorithm, fingerprint), if any. */
    Optional<UntrustedChain> untrusted();

    /** The bridge's own HTTPS provisioning certificate as PEM, for IT to install on phones. */
    default Optional<String> bridgeCertificatePem() {
        return Optional.empty();
    }

    /** The untrusted chain as PEM, for download. */
    Optional<String> untrustedPem();

    /**
     * Pins the untrusted certificate whose SHA-256 fingerprint IT saw, and returns the pinned
     * certificate's details.
     *
     * @throws IllegalArgumentException when the upstream now presents another certificate
     * @throws IllegalStateException    when trusting it would not help (e.g. it names another host)
     */
    CertificateDetails trust(String sha256Fingerprint) throws Exception;
}
