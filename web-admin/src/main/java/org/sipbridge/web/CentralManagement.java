package org.sipbridge.web;

import java.time.Instant;
import java.util.List;
import org.sipbridge.contract.tls.CertificateDetails;

/** Central configuration as the Bridge page and {@code /api/management} show and drive it. */
public interface CentralManagement {

    /** Where central configuration stands now. */
    View view();

    /** Looks for a changed document now (the page's Sync now, and after the VPN comes up). */
    void syncNow();

    /**
     * Pins the certificate the server presented when it was refused, if it is still the one with
     * {@code sha256Fingerprint} (what IT reviewed); then syncs.
     *
     * @throws IllegalStateException    nothing to trust, or trusting would not help
     * @throws IllegalArgumentException the server presents another certificate by now
     */
    CertificateDetails trust(String sha256Fingerprint) throws Exception;

    /**
     * @param state        {@code off} (no management.url), {@code managed} (a document is in force),
     *                     {@code waiting} (none fetched yet), {@code failing} (the last attempt failed;
     *                     the last good document stays in force)
     * @param source       the document URL(s) in force
     * @param lastSync     when a document was last fetched and applied (or found unchanged)
     * @param problem      why the last attempt failed, {@code null} when it did not
     * @param untrusted    the certificate chain the server presented when it was refused, leaf first; empty if none
     * @param untrustedProblem why it was refused
     */
    record View(
            String state,
            String url,
            String source,
            String version,
            Instant lastSync,
            Instant lastAttempt,
            String problem,
            List<String> managedKeys,
            List<CertificateDetails> untrusted,
            String untrustedProblem) {

        public View {
            managedKeys = List.copyOf(managedKeys);
            untrusted = List.copyOf(untrusted);
        }
    }
}
