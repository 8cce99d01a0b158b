package org.sipbridge.web.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** At most N slow hashes at once: the N+1st check is answered "busy", not run. */
class HashGateTest {

    @Test
    void aCheckBeyondTheBoundIsRefusedWhileTheOthersRun() throws Exception {
        HashGate gate = new HashGate(2, Duration.ZERO);
        CountDownLatch running = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<?>[] slow = new CompletableFuture<?>[2];
        for (int i = 0; i < 2; i++) {
            slow[i] = CompletableFuture.supplyAsync(() -> gate.check(() -> {
                running.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return true;
            }));
        }
        running.await();
        assertEquals(Optional.empty(), gate.check(() -> true), "both slots are taken");
        release.countDown();
        CompletableFuture.allOf(slow).get();
        assertEquals(Optional.of(false), gate.check(() -> false), "a slot is free again");
    }

    @Test
    void aFailingCheckGivesItsSlotBack() {
        HashGate gate = new HashGate(1, Duration.ZERO);
        assertThrows(
                IllegalStateException.class,
                () -> gate.check(() -> {
                    throw new IllegalStateException("boom");
                }));
        assertEquals(Optional.of(true), gate.check(() -> true));
    }

    @Test
    void zeroSlotsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new HashGate(0, Duration.ZERO));
    }
}
