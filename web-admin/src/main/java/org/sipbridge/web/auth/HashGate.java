package org.sipbridge.web.auth;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Bounds how many slow password hashes run at once, across every client and listener: without a
 * global attempt limit (which would let a few addresses lock out the admin), this is what keeps a
 * crowd of guessers from pinning every core. A check that cannot get a slot within {@code maxWait}
 * is answered "busy" (503) rather than queued without end.
 */
public final class HashGate {

    private final Semaphore slots;
    private final Duration maxWait;

    public HashGate(int concurrent, Duration maxWait) {
        if (concurrent < 1) {
            throw new IllegalArgumentException("concurrent must be at least 1 (was " + concurrent + ")");
        }
        this.slots = new Semaphore(concurrent, true);
        this.maxWait = maxWait;
    }

    /** One slot per two processors (at least one), waiting up to 5 s for it. */
    public static HashGate standard() {
        return new HashGate(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), Duration.ofSeconds(5));
    }

    /** The result of {@code check}, run in a slot; empty when no slot came free in time. */
    public Optional<Boolean> check(BooleanSupplier check) {
        try {
            if (!slots.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        try {
            return Optional.of(check.getAsBoolean());
        } finally {
            slots.release();
        }
    }
}
