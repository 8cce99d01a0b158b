package org.sipbridge.daemon.recovery;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** The fallback where netlink is unavailable (Windows, macOS, no JNA): look again every {@code pollMs}. */
final class PollingAdapterEvents implements AdapterEvents {

    private final long pollMs;
    private final Semaphore woken = new Semaphore(0);

    PollingAdapterEvents(long pollMs) {
        this.pollMs = pollMs;
    }

    @Override
    public void await(long timeoutMs) throws InterruptedException {
        long waitMs = timeoutMs == NO_TIMEOUT ? pollMs : Math.min(pollMs, timeoutMs);
        if (woken.tryAcquire(waitMs, TimeUnit.MILLISECONDS)) {
            woken.drainPermits();
        }
    }

    @Override
    public void wake() {
        woken.release();
    }

    @Override
    public void close() {
        // nothing held
    }

    @Override
    public String describe() {
        return "polled every " + pollMs + " ms";
    }
}
