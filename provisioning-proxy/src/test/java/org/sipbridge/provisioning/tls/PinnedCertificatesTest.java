package org.sipbridge.provisioning.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipbridge.contract.tls.SelfSignedCertificate;

class PinnedCertificatesTest {

    @TempDir
    Path dataDir;

    @Test
    void pinsArePersistedAndReadBack() throws Exception {
        Path file = dataDir.resolve(PinnedCertificates.FILE_NAME);
        var first = SelfSignedCertificate.create(
                        "HTTPS provisioning", java.util.List.of(InetAddress.getByName("10.1.2.3")), Clock.systemUTC())
                .certificate();
        var second = SelfSignedCertificate.create(
                        "HTTPS provisioning", java.util.List.of(InetAddress.getByName("10.1.2.4")), Clock.systemUTC())
                .certificate();
        PinnedCertificates pinned = PinnedCertificates.load(file);

        assertTrue(pinned.all().isEmpty());
        assertFalse(Files.exists(file), "nothing written until something is pinned");
        assertTrue(pinned.add(first));
        assertTrue(pinned.add(second));
        assertFalse(pinned.add(first), "pinning twice changes nothing");

        assertEquals(List.of(first, second), PinnedCertificates.load(file).all());
        assertEquals(List.of(), leftovers(), "no temporary files stay behind");
    }

    @Test
    void aDamagedFileIsReportedWithItsName() throws Exception {
        Path file = Files.writeString(
                dataDir.resolve(PinnedCertificates.FILE_NAME),
                "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");

        IOException failure = assertThrows(IOException.class, () -> PinnedCertificates.load(file));

        assertTrue(failure.getMessage().contains(PinnedCertificates.FILE_NAME), failure.getMessage());
    }

    private List<Path> leftovers() throws IOException {
        try (var files = Files.list(dataDir)) {
            return files.filter(path -> path.getFileName().toString().endsWith(".tmp"))
                    .toList();
        }
    }
}
