package org.sipbridge.provisioning.transfer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The running counters of one transfer. The exchange's I/O thread writes them; the status page reads
 * them from another thread, hence the atomic and volatile fields (no locks on the data path).
 */
public final class LiveTransfer {

    private final TransferLog log;
    private final Clock clock;
    private final String method;
    private final String path;
    private final Transfer.Direction direction;
    private final Instant startedAt;
    private final AtomicLong bytes = new AtomicLong();
    private volatile long totalBytes;
    private volatile int status;
    private volatile Instant finishedAt;

    LiveTransfer(
            TransferLog log, Clock clock, String method, String path, Transfer.Direction direction, long totalBytes) {
        this.log = log;
        this.clock = clock;
        this.method = method;
        this.path = path;
        this.direction = direction;
        this.totalBytes = totalBytes;
        this.startedAt = clock.instant();
    }

    public Transfer.Direction direction() {
        return direction;
    }

    /** Counts body bytes moved in this transfer's direction. */
    public void moved(long count) {
        bytes.addAndGet(count);
    }

    /** The response starts: its status, and for downloads the announced size (-1 when unknown). */
    public void responding(int statusCode, long announcedBytes) {
        status = statusCode;
        if (direction == Transfer.Direction.DOWNLOAD) {
            totalBytes = announcedBytes;
        }
    }

    public void finish(int statusCode) {
        if (finishedAt != null) {
            return;
        }
        status = statusCode;
        finishedAt = clock.instant();
        log.finished(this);
    }

    Instant finishedAt() {
        return finishedAt;
    }

    Instant startedAt() {
        return startedAt;
    }

    Transfer snapshot() {
        Instant end = finishedAt;
        Duration duration = Duration.between(startedAt, end != null ? end : clock.instant());
        long moved = bytes.get();
        long millis = Math.max(1, duration.toMillis());
        return new Transfer(
                method,
                path,
                status,
                direction,
                moved,
                totalBytes,
                moved * 1000 / millis,
                startedAt,
                duration,
                end != null);
    }
}
