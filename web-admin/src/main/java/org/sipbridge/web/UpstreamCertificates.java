package org.sipbridge.web;

import java.util.Optional;

/**
 * The provisioning upstream's certificate that the bridge does not trust yet (the reference
 * product's "Untrusted Certificate" page), as the daemon provides it.
 */
public interface UpstreamCertificates {

    /** No provisioning proxy running: nothing untrusted, nothing to trust. */
    UpstreamCertificates NONE = new UpstreamCertificates() {
        @Override
        public Optional<?> untrusted() {
            return Optional.empty();
        }

        @Override
        public Optional<String> untrustedPem() {
            return Optional.empty();
        }

        @Override
        public Object trust(String sha256Fingerprint) {
            throw new IllegalStateException("the provisioning proxy is not running");
        }
    };

    /** The untrusted chain's details (issuer, subject, serial, validity, algorithm, fingerprint), if any. */
    Optional<?> untrusted();

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
    Object trust(String sha256Fingerprint) throws Exception;
}
