package org.sipbridge.rtp.capture;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.sipbridge.contract.files.OwnerOnly;

/**
 * The capture master key: 32 random bytes in {@code <data>/capture-master.key}, readable by the
 * owner only, made on first use. Each capture's own keys are wrapped with it (AES key wrap, RFC
 * 3394) into the capture's sidecar, so a capture is useless without this computer's data folder.
 */
public final class MasterKey {

    public static final String FILE_NAME = "capture-master.key";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private MasterKey(byte[] bytes) {
        this.key = new SecretKeySpec(bytes, "AES");
    }

    /** Reads the key of {@code dataDir}, creating it (0600) if there is none yet. */
    public static MasterKey loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            OwnerOnly.directory(dataDir);
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            try {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(file, bytes);
            } catch (FileAlreadyExistsException raced) {
                // another start made it first: use that one
            } catch (UnsupportedOperationException notPosix) {
                Files.write(file, bytes);
            }
        }
        return load(file);
    }

    public static MasterKey load(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length != 32) {
            throw new IOException(file + " is not a capture master key (" + bytes.length + " bytes)");
        }
        return new MasterKey(bytes);
    }

    byte[] wrap(byte[] secret) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AESWrap");
        cipher.init(Cipher.WRAP_MODE, key);
        return cipher.wrap(new SecretKeySpec(secret, "AES"));
    }

    byte[] unwrap(byte[] wrapped) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AESWrap");
        cipher.init(Cipher.UNWRAP_MODE, key);
        Key key = cipher.unwrap(wrapped, "AES", Cipher.SECRET_KEY);
        return key.getEncoded();
    }

    static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
