package org.sipbridge.web.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sipbridge.config.AdminSettings;

class VerifiedBasicCacheTest {

    private static final AdminSettings ADMIN = new AdminSettings("admin", "pbkdf2-sha256$1000$c2FsdA==$aGFzaA==");

    @Test
    void remembersAVerifiedHeaderForTheSameCredentialsOnly() {
        VerifiedBasicCache cache = new VerifiedBasicCache();
        assertFalse(cache.contains("Basic YWRtaW46cGFzcw==", ADMIN));
        cache.add("Basic YWRtaW46cGFzcw==", ADMIN);
        assertTrue(cache.contains("Basic YWRtaW46cGFzcw==", ADMIN));
        assertFalse(cache.contains("Basic YWRtaW46b3RoZXI=", ADMIN), "another header");
        assertFalse(
                cache.contains(
                        "Basic YWRtaW46cGFzcw==", new AdminSettings("admin", "pbkdf2-sha256$1000$c2FsdA==$bmV3")),
                "a changed password invalidates the entry");
    }

    @Test
    void staysBoundedByClearingWhenFull() {
        VerifiedBasicCache cache = new VerifiedBasicCache();
        cache.add("Basic first", ADMIN);
        for (int i = 1; i < VerifiedBasicCache.CAPACITY; i++) {
            cache.add("Basic " + i, ADMIN);
        }
        assertTrue(cache.contains("Basic first", ADMIN));
        cache.add("Basic one too many", ADMIN);
        assertFalse(cache.contains("Basic first", ADMIN));
        assertTrue(cache.contains("Basic one too many", ADMIN));
    }
}
