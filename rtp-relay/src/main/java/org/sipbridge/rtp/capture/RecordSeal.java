package org.sipbridge.rtp.capture;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.sipbridge.config.CaptureCipherSuite;

/**
 * Protection of one capture file's records, in the manner of SRTP: each record's data is
 * {@code index (8) | body | tag (10)} where body is the packet (AES-CTR encrypted for the AES
 * suites, the IV being the file's salt and the record index) and tag is HMAC-SHA1-80 over salt,
 * timestamp, index and body. The index numbers records from 0, so a removed or reordered record is
 * found. JCA primitives only. Not thread-safe: one per file, used by the writer thread.
 */
final class RecordSeal {

    static final int INDEX = 8;
    static final int TAG = 10;

    private final CaptureCipherSuite suite;
    private final byte[] salt;
    private final Cipher cipher;
    private final SecretKeySpec encryptionKey;
    private final Mac mac;

    RecordSeal(CaptureCipherSuite suite, byte[] encryptionKey, byte[] authenticationKey, byte[] salt)
            throws GeneralSecurityException {
        this.suite = suite;
        this.salt = salt.clone();
        this.encryptionKey = encrypts(suite) ? new SecretKeySpec(encryptionKey, "AES") : null;
        this.cipher = encrypts(suite) ? Cipher.getInstance("AES/CTR/NoPadding") : null;
        this.mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(authenticationKey, "HmacSHA1"));
    }

    static boolean encrypts(CaptureCipherSuite suite) {
        return suite == CaptureCipherSuite.AES128_HMACSHA1 || suite == CaptureCipherSuite.AES256_HMACSHA1;
    }

    static int encryptionKeyLength(CaptureCipherSuite suite) {
        return suite == CaptureCipherSuite.AES256_HMACSHA1 ? 32 : 16;
    }

    byte[] seal(long index, long timestampMicros, byte[] body, int length) throws GeneralSecurityException {
        byte[] sealed = new byte[INDEX + length + TAG];
        ByteBuffer.wrap(sealed).putLong(index);
        if (cipher != null) {
            cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, iv(index));
            cipher.doFinal(body, 0, length, sealed, INDEX);
        } else {
            System.arraycopy(body, 0, sealed, INDEX, length);
        }
        System.arraycopy(tag(timestampMicros, sealed, INDEX + length), 0, sealed, INDEX + length, TAG);
        return sealed;
    }

    /** The packet of a sealed record, after checking its index and tag. */
    byte[] open(long expectedIndex, long timestampMicros, byte[] sealed) throws CaptureRefusedException {
        if (sealed.length < INDEX + TAG) {
            throw new CaptureRefusedException("record " + expectedIndex + " is too short to be sealed");
        }
        int bodyEnd = sealed.length - TAG;
        if (!MessageDigest.isEqual(
                tag(timestampMicros, sealed, bodyEnd), Arrays.copyOfRange(sealed, bodyEnd, sealed.length))) {
            throw new CaptureRefusedException(
                    "record " + expectedIndex + " fails authentication: the file was changed");
        }
        long index = ByteBuffer.wrap(sealed).getLong();
        if (index != expectedIndex) {
            throw new CaptureRefusedException(
                    "record " + expectedIndex + " carries index " + index + ": records were removed or reordered");
        }
        try {
            if (cipher == null) {
                return Arrays.copyOfRange(sealed, INDEX, bodyEnd);
            }
            cipher.init(Cipher.DECRYPT_MODE, encryptionKey, iv(index));
            return cipher.doFinal(sealed, INDEX, bodyEnd - INDEX);
        } catch (GeneralSecurityException e) {
            throw new CaptureRefusedException("record " + expectedIndex + " cannot be decrypted: " + e.getMessage());
        }
    }

    private IvParameterSpec iv(long index) {
        return new IvParameterSpec(
                ByteBuffer.allocate(16).put(salt, 0, 8).putLong(index).array());
    }

    private byte[] tag(long timestampMicros, byte[] sealed, int bodyEnd) {
        mac.update(salt);
        mac.update(ByteBuffer.allocate(8).putLong(timestampMicros).array());
        mac.update(sealed, 0, bodyEnd);
        return Arrays.copyOf(mac.doFinal(), TAG);
    }

    CaptureCipherSuite suite() {
        return suite;
    }
}
