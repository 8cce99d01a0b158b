package org.sipbridge.contract.tls;

import java.time.Instant;
import java.util.List;

/**
 * The certificate chain the provisioning server presented last time the proxy refused it.
 *
 * @param upstream     {@code host:port} that presented it
 * @param seenAt       when the proxy refused it
 * @param problem      why, in plain words
 * @param trustable    whether pinning the leaf would make it work; false when the chain is wrong for
 *                     another reason (host name mismatch, expired), which trusting cannot fix
 * @param certificates the chain as presented, leaf first
 * @param pem          the same chain as PEM, for download
 */
public record UntrustedChain(
        String upstream,
        Instant seenAt,
        String problem,
        boolean trustable,
        List<CertificateDetails> certificates,
        String pem) {

    public UntrustedChain {
        certificates = List.copyOf(certificates);
    }

    public CertificateDetails leaf() {
        return certificates.get(0);
    }
}
