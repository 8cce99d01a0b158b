package org.sipbridge.web;

import java.util.Optional;
import org.sipbridge.contract.tls.CertificateDetails;

/** What the Protocols page shows about SIP over TLS: the certificate in use and the trusted authorities. */
public interface SipTls {

    /** The certificate SIP over TLS presents (subject, issuer, validity, fingerprint), if one is installed. */
    Optional<CertificateDetails> certificate();

    /** How many certificate authorities the bridge trusts for SIP over TLS. */
    int trustedAuthorities();

    SipTls NONE = new SipTls() {
        @Override
        public Optional<CertificateDetails> certificate() {
            return Optional.empty();
        }

        @Override
        public int trustedAuthorities() {
            return 0;
        }
    };
}
