package org.sipbridge.web.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.sipbridge.config.AdminSettings;

/**
 * Authorization headers already verified against the current credentials, kept as digests of header,
 * user and password hash: a script polling with HTTP Basic costs one slow hash and one rate-limit
 * slot, not one per request, and a changed password invalidates every entry. Bounded: cleared when full.
 */
final class VerifiedBasicCache {

    static final int CAPACITY = 32;

    private final Set<String> digests = ConcurrentHashMap.newKeySet();

    boolean contains(String header, AdminSettings admin) {
        return digests.contains(digest(header, admin));
    }

    void add(String header, AdminSettings admin) {
        if (digests.size() >= CAPACITY) {
            digests.clear();
        }
        digests.add(digest(header, admin));
    }

    private static String digest(String header, AdminSettings admin) {
        String text = header + "\n" + admin.userName() + "\n" + admin.passwordHash();
        try {
            return Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
