package org.sipbridge.rtp.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import org.sipbridge.config.CaptureCipherSuite;
import org.sipbridge.contract.files.OwnerOnly;

/**
 * The metadata beside a capture ({@code <file>.pcap.json}): which call, how it is protected, and
 * the file's keys wrapped with the master key. Holds no clear secret.
 */
public record Sidecar(
        String callId,
        long resourceId,
        String startedAt,
        CaptureCipherSuite cipherSuite,
        String salt,
        String wrappedEncryptionKey,
        String wrappedAuthenticationKey,
        String masterKeyFile,
        String format) {

    static final String FORMAT = "pcap; NULL_NULL: LINKTYPE_RAW IPv4/UDP packets; otherwise LINKTYPE_USER0 records "
            + "'index(8, big-endian) | packet (AES-CTR, IV = salt(8) | index) | HMAC-SHA1-80(salt | timestamp µs | index | packet)'";
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path of(Path capture) {
        return capture.resolveSibling(capture.getFileName() + ".json");
    }

    void write(Path capture) throws IOException {
        OwnerOnly.writeString(of(capture), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this));
    }

    static Sidecar read(Path capture) throws CaptureRefusedException {
        try {
            return JSON.readValue(of(capture).toFile(), Sidecar.class);
        } catch (IOException e) {
            throw new CaptureRefusedException(
                    "cannot read the capture's metadata " + of(capture) + ": " + e.getMessage());
        }
    }

    static String base64(byte[] bytes) {
        return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
    }

    static byte[] bytes(String base64) {
        return base64 == null ? null : Base64.getDecoder().decode(base64);
    }
}
