package org.sipbridge.rtp.capture;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.sipbridge.config.CaptureCipherSuite;

/** The decryptor reads files users hand it: any bytes are refused cleanly, never an exception of another kind. */
class CaptureDecryptorPropertyTest {

    @Property(tries = 300)
    void arbitraryFilesAreRefusedNotCrashedOn(@ForAll @Size(max = 400) byte[] content) throws Exception {
        Path dir = Files.createTempDirectory("capture-fuzz");
        try {
            MasterKey master = MasterKey.loadOrCreate(dir);
            Path file = dir.resolve("x.pcap");
            Files.write(file, content);
            new Sidecar(
                            "c",
                            1,
                            "now",
                            CaptureCipherSuite.AES128_HMACSHA1,
                            Sidecar.base64(new byte[8]),
                            Sidecar.base64(master.wrap(new byte[16])),
                            Sidecar.base64(master.wrap(new byte[32])),
                            MasterKey.FILE_NAME,
                            Sidecar.FORMAT)
                    .write(file);
            assertThrows(
                    CaptureRefusedException.class,
                    () -> CaptureDecryptor.decrypt(file, master, dir.resolve("out.pcap")));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }
}
