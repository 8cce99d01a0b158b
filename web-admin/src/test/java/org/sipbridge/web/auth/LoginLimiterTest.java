package org.sipbridge.web.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

/** Password guessing is slowed per client address, with back-off, and never locks out anyone else. */
class LoginLimiterTest {

    private static final String ADMIN = "198.19.2.10";

    private final MutableClock clock = MutableClock.of(Instant.parse("2026-12-04T19:00:00Z"), ZoneOffset.UTC);
    private final LoginLimiter limiter = LoginLimiter.standard(clock);

    private void fail(String client, int times) {
        for (int i = 0; i < times; i++) {
            assertEquals(Optional.empty(), limiter.attempt(client), client + " attempt " + i);
            limiter.failed(client);
        }
    }

    @Test
    void aCrowdOfGuessersDoesNotLockOutTheAdmin() {
        for (int i = 0; i < 50; i++) { // 250 failures from 50 addresses
            fail("198.19.2." + (100 + i), 5);
            assertTrue(limiter.attempt("198.19.2." + (100 + i)).isPresent(), "each guesser is stopped");
        }
        assertEquals(Optional.empty(), limiter.attempt(ADMIN), "the admin's own address is not affected");
    }

    @Test
    void eachFurtherFailureAfterTheLimitDoublesTheWait() {
        fail(ADMIN, 5);
        Duration first = limiter.attempt(ADMIN).orElseThrow();
        assertEquals(Duration.ofSeconds(30), first);
        clock.add(first);
        fail(ADMIN, 1);
        Duration second = limiter.attempt(ADMIN).orElseThrow();
        assertEquals(Duration.ofSeconds(60), second);
        clock.add(second);
        fail(ADMIN, 1);
        assertEquals(Duration.ofSeconds(120), limiter.attempt(ADMIN).orElseThrow());
        for (int i = 0; i < 10; i++) {
            clock.add(limiter.attempt(ADMIN).orElseThrow());
            fail(ADMIN, 1);
        }
        assertEquals(Duration.ofMinutes(15), limiter.attempt(ADMIN).orElseThrow(), "capped");
        limiter.succeeded(ADMIN);
        assertEquals(Optional.empty(), limiter.attempt(ADMIN), "a success clears the count");
    }

    @Test
    void failuresAreForgottenAfterAQuietWindow() {
        fail(ADMIN, 4);
        clock.add(Duration.ofMinutes(15).plusSeconds(1));
        fail(ADMIN, 4);
        assertEquals(Optional.empty(), limiter.attempt(ADMIN), "the first four are forgotten");
    }

    @Test
    void anIpv6ClientIsCountedByItsSlash64() {
        fail("2001:db8:1:2:0:0:0:1", 3);
        fail("2001:db8:1:2:ffff:0:0:9", 2);
        assertTrue(limiter.attempt("2001:db8:1:2:abcd:0:0:5").isPresent(), "one /64 is one client");
        assertEquals(Optional.empty(), limiter.attempt("2001:db8:1:3:0:0:0:1"));
    }
}
