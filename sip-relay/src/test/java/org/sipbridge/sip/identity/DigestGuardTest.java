package org.sipbridge.sip.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class DigestGuardTest {

    private Instant now = Instant.parse("2026-12-04T10:00:00Z");
    private final DigestGuard guard = new DigestGuard(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    private Duration refuse(String ip, int times) {
        Duration last = Duration.ZERO;
        for (int i = 0; i < times; i++) {
            last = guard.record(ip, CredentialOutcome.REFUSED);
        }
        return last;
    }

    @Test
    void fiveRefusedPasswordsBlockTheAddressAndOnlyIt() {
        assertEquals(Duration.ZERO, refuse("198.18.1.66", 4));
        assertTrue(guard.mayTry("198.18.1.66"));
        assertEquals(Duration.ofMinutes(1), refuse("198.18.1.66", 1));
        assertFalse(guard.mayTry("198.18.1.66"));
        assertTrue(guard.mayTry("198.18.1.10"), "the real phone's address is not blocked");
        assertEquals(List.of("198.18.1.66"), guard.blocked());
        assertEquals(1, guard.refusedAttempts());
    }

    @Test
    void eachFurtherBlockDoublesUpToAnHour() {
        List<Long> minutes = new java.util.ArrayList<>();
        for (int block = 0; block < 9; block++) {
            Duration length = refuse("198.18.1.66", 5);
            minutes.add(length.toMinutes());
            now = now.plus(length);
            assertTrue(guard.mayTry("198.18.1.66"), "the block ends");
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L), minutes);
    }

    @Test
    void acceptedCredentialsAndStaleNoncesDoNotCount() {
        refuse("198.18.1.10", 4);
        guard.record("198.18.1.10", CredentialOutcome.ACCEPTED);
        assertEquals(Duration.ZERO, refuse("198.18.1.10", 4));
        guard.record("198.18.1.10", CredentialOutcome.NONE);
        assertTrue(guard.mayTry("198.18.1.10"));
    }

    @Test
    void oldFailuresAreForgotten() {
        refuse("198.18.1.10", 4);
        now = now.plus(Duration.ofHours(3));
        assertEquals(Duration.ZERO, refuse("198.18.1.10", 4));
        assertTrue(guard.mayTry("198.18.1.10"));
    }
}
