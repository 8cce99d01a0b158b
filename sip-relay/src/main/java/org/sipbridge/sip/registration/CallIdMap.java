package org.sipbridge.sip.registration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The Call-ID the PBX sees for a phone's REGISTER Call-ID: stable (a phone keeps one Call-ID for
 * its refreshes, and the PBX keys the binding's CSeq on it), and revealing nothing of the phone's
 * own, which often carries its LAN address or MAC. A SHA-256 over a secret of this run and the
 * phone's Call-ID; without the secret the PBX cannot test a guessed Call-ID either.
 * <p>
 * The digest keyed with the secret is made once and cloned per Call-ID: looking the SHA-256
 * provider up for every REGISTER was measurable CPU per message (#19). Thread-safe: the keyed
 * digest is never updated after construction, and each call works on its own clone.
 */
final class CallIdMap {

    private final MessageDigest keyed;

    CallIdMap(byte[] secret) {
        try {
            keyed = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        keyed.update(secret.clone());
    }

    /** A map with a fresh random secret: the Call-IDs of one run of the relay. */
    static CallIdMap withRandomSecret() {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        return new CallIdMap(secret);
    }

    String pbxCallId(String phoneCallId) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) keyed.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
        byte[] hash = digest.digest(phoneCallId.getBytes(StandardCharsets.UTF_8));
        return "sb" + HexFormat.of().formatHex(hash, 0, 12) + "@sipbridge";
    }
}
