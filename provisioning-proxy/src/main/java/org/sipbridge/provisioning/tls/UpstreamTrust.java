package org.sipbridge.provisioning.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.sipbridge.contract.tls.CertificateDetails;
import org.sipbridge.contract.tls.Pem;
import org.sipbridge.contract.tls.UntrustedChain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which provisioning servers the proxy trusts: the JDK's default trust store plus the certificates
 * pinned in the data folder. Keeps the chain it refused last, so IT can inspect it and pin it. The
 * central configuration client trusts its server the same way, with pins of its own.
 */
public final class UpstreamTrust {

    private static final Logger log = LoggerFactory.getLogger(UpstreamTrust.class);

    /** A refusal with the certificate to pin and a monotonic time to match it to a failed request. */
    private record Refusal(UntrustedChain chain, X509Certificate leaf, long atNanos) {}

    private final PinnedCertificates pinned;
    private final String peerName;
    private final X509ExtendedTrustManager jdkDefault;
    private final Clock clock;
    /** Rebuilt on every pin; null while nothing is pinned. */
    private volatile X509ExtendedTrustManager pinnedManager;

    private final AtomicReference<Refusal> lastRefusal = new AtomicReference<>();

    private UpstreamTrust(PinnedCertificates pinned, String peerName, X509ExtendedTrustManager jdkDefault, Clock clock)
            throws GeneralSecurityException {
        this.pinned = pinned;
        this.peerName = peerName;
        this.jdkDefault = jdkDefault;
        this.clock = clock;
        this.pinnedManager = managerFor(pinned.all());
    }

    /** Loads the pinned certificates from {@code dataDir}. */
    public static UpstreamTrust load(Path dataDir, Clock clock) throws IOException, GeneralSecurityException {
        return load(dataDir.resolve(PinnedCertificates.FILE_NAME), "provisioning upstream", clock);
    }

    /** Trust for another kind of server ({@code peerName} in logs and errors), with its pins in {@code pinsFile}. */
    public static UpstreamTrust load(Path pinsFile, String peerName, Clock clock)
            throws IOException, GeneralSecurityException {
        return new UpstreamTrust(PinnedCertificates.load(pinsFile), peerName, TrustAnchors.jdkDefault(), clock);
    }

    String peerName() {
        return peerName;
    }

    /** The client TLS context for upstream connections; it sees pins made later without a rebuild. */
    public SSLContext clientContext() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new UpstreamTrustManager(this)}, null);
        return context;
    }

    public Optional<UntrustedChain> untrusted() {
        return Optional.ofNullable(lastRefusal.get()).map(Refusal::chain);
    }

    /** The chain refused at or after {@code sinceNanos} ({@link System#nanoTime()}), if any. */
    public Optional<UntrustedChain> refusedSince(long sinceNanos) {
        Refusal refusal = lastRefusal.get();
        return refusal != null && refusal.atNanos() - sinceNanos >= 0 ? Optional.of(refusal.chain()) : Optional.empty();
    }

    public List<CertificateDetails> pinned() {
        return pinned.all().stream().map(CertificateDetails::of).toList();
    }

    /**
     * Pins the leaf of the refused chain and saves it. With {@code expectedFingerprint} (what the page
     * showed), refuses if the server presents a different certificate by now, so IT never pins one it
     * has not seen.
     *
     * @throws IllegalStateException    nothing refused, or pinning would not help
     * @throws IllegalArgumentException the refused certificate is not the expected one
     */
    public synchronized CertificateDetails trust(String expectedFingerprint)
            throws IOException, GeneralSecurityException {
        Refusal refusal = lastRefusal.get();
        if (refusal == null) {
            throw new IllegalStateException("no untrusted " + peerName + " certificate to trust");
        }
        CertificateDetails leaf = refusal.chain().leaf();
        if (expectedFingerprint != null && !leaf.hasFingerprint(expectedFingerprint)) {
            throw new IllegalArgumentException("the " + peerName + " now presents another certificate (SHA-256 "
                    + leaf.sha256Fingerprint() + "); review it before trusting it");
        }
        if (!refusal.chain().trustable()) {
            throw new IllegalStateException("trusting this certificate would not help: "
                    + refusal.chain().problem());
        }
        if (pinned.add(refusal.leaf())) {
            pinnedManager = managerFor(pinned.all());
            log.info(
                    "Pinned {} certificate {} ({}) in {}",
                    peerName,
                    leaf.subject(),
                    leaf.sha256Fingerprint(),
                    pinned.file());
        }
        lastRefusal.compareAndSet(refusal, null);
        return leaf;
    }

    /** Drops the remembered refusal, e.g. when the upstream URL changes. */
    public void forget() {
        lastRefusal.set(null);
    }

    X509ExtendedTrustManager jdkDefault() {
        return jdkDefault;
    }

    X509ExtendedTrustManager pinnedManager() {
        return pinnedManager;
    }

    /** A handshake succeeded: what was refused before no longer describes the upstream. */
    void accepted() {
        lastRefusal.set(null);
    }

    void refused(String upstream, X509Certificate[] chain, String problem, boolean trustable) {
        List<X509Certificate> certificates = Arrays.asList(chain);
        UntrustedChain untrusted = new UntrustedChain(
                upstream,
                clock.instant(),
                problem,
                trustable,
                certificates.stream().map(CertificateDetails::of).toList(),
                Pem.certificates(certificates));
        Refusal previous = lastRefusal.getAndSet(new Refusal(untrusted, chain[0], System.nanoTime()));
        if (previous == null || !previous.chain().leaf().equals(untrusted.leaf())) {
            log.warn(
                    "Refused the certificate of {} {}: {} (subject {}, SHA-256 {})",
                    peerName,
                    upstream,
                    problem,
                    untrusted.leaf().subject(),
                    untrusted.leaf().sha256Fingerprint());
        }
    }

    private static X509ExtendedTrustManager managerFor(List<X509Certificate> anchors) throws GeneralSecurityException {
        return anchors.isEmpty() ? null : TrustAnchors.of(anchors);
    }
}
