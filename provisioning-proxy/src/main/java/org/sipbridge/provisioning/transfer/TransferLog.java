package org.sipbridge.provisioning.transfer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The transfers under way, and the last finished ones for a while after (bounded in number and
 * age), for the status page.
 */
public final class TransferLog {

    public static final int KEEP_FINISHED = 50;
    public static final Duration KEEP_FOR = Duration.ofMinutes(10);

    private final Clock clock;
    private final int keepFinished;
    private final Duration keepFor;
    private final Set<LiveTransfer> running = ConcurrentHashMap.newKeySet();
    /** Told of every finished request, on the I/O thread that finished it: quick, never blocking. */
    private volatile Consumer<PhoneRequest> finishedRequests = request -> {};
    /** Newest first; guarded by itself. */
    private final Deque<LiveTransfer> finished = new ArrayDeque<>();

    public TransferLog(Clock clock) {
        this(clock, KEEP_FINISHED, KEEP_FOR);
    }

    public TransferLog(Clock clock, int keepFinished, Duration keepFor) {
        this.clock = clock;
        this.keepFinished = keepFinished;
        this.keepFor = keepFor;
    }

    /** Starts counting a transfer; {@code totalBytes} is the upload's announced size, or -1. */
    public LiveTransfer begin(String method, String path, Transfer.Direction direction, long totalBytes) {
        LiveTransfer transfer = new LiveTransfer(this, clock, method, path, direction, totalBytes);
        running.add(transfer);
        return transfer;
    }

    /** Reports every finished request, with the address that sent it, to {@code listener} (the phone book). */
    public void tellFinishedTo(Consumer<PhoneRequest> listener) {
        finishedRequests = listener;
    }

    /** Called once a request from {@code clientAddress} is over (after {@link LiveTransfer#finish}). */
    void reportFinished(String clientAddress, LiveTransfer transfer) {
        finishedRequests.accept(new PhoneRequest(clientAddress, transfer.snapshot()));
    }

    void finished(LiveTransfer transfer) {
        running.remove(transfer);
        synchronized (finished) {
            finished.addFirst(transfer);
            prune();
        }
    }

    /** Running transfers (oldest first), then finished ones (newest first). */
    public List<Transfer> snapshot() {
        List<Transfer> result = new ArrayList<>();
        running.stream()
                .sorted(Comparator.comparing(LiveTransfer::startedAt))
                .map(LiveTransfer::snapshot)
                .forEach(result::add);
        synchronized (finished) {
            prune();
            finished.forEach(transfer -> result.add(transfer.snapshot()));
        }
        return List.copyOf(result);
    }

    private void prune() {
        Instant oldest = clock.instant().minus(keepFor);
        while (!finished.isEmpty()
                && (finished.size() > keepFinished
                        || finished.peekLast().finishedAt().isBefore(oldest))) {
            finished.removeLast();
        }
    }
}
