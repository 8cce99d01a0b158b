package org.sipbridge.provisioning.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.sipbridge.contract.files.AtomicFiles;
import org.sipbridge.contract.tls.CertificateDetails;
import org.sipbridge.contract.tls.Pem;

/**
 * The upstream certificates IT chose to trust, kept as a PEM bundle in the data folder. Every
 * certificate in it is a trust anchor: the leaves the Trust action pins, and any CA certificate IT
 * appends by hand. Each change replaces the file atomically, so a crash leaves the old or new set.
 */
public final class PinnedCertificates {

    public static final String FILE_NAME = "provisioning-upstream-trusted.pem";

    private final Path file;
    private List<X509Certificate> certificates;

    private PinnedCertificates(Path file, List<X509Certificate> certificates) {
        this.file = file;
        this.certificates = List.copyOf(certificates);
    }

    /** Reads the bundle; a missing file is an empty set, an unreadable one an error naming the file. */
    public static PinnedCertificates load(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return new PinnedCertificates(file, List.of());
        }
        try {
            return new PinnedCertificates(file, Pem.readCertificates(text));
        } catch (IOException e) {
            throw new IOException(
                    file + " holds an unreadable certificate (" + e.getMessage()
                            + "); fix or delete the file and trust the upstream again",
                    e);
        }
    }

    public Path file() {
        return file;
    }

    public synchronized List<X509Certificate> all() {
        return certificates;
    }

    /** Adds {@code certificate} unless it is already there; returns whether the set changed. */
    public synchronized boolean add(X509Certificate certificate) throws IOException {
        String fingerprint = CertificateDetails.fingerprint(certificate);
        for (X509Certificate pinned : certificates) {
            if (CertificateDetails.fingerprint(pinned).equals(fingerprint)) {
                return false;
            }
        }
        List<X509Certificate> updated = new ArrayList<>(certificates);
        updated.add(certificate);
        AtomicFiles.writeOwnerOnly(file, Pem.certificates(updated).getBytes(StandardCharsets.US_ASCII));
        certificates = List.copyOf(updated);
        return true;
    }
}
