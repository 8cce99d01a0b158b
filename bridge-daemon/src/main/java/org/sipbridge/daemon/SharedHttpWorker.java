package org.sipbridge.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * The one XNIO worker (Undertow's threads) that the web UI and the provisioning proxy both serve on, instead
 * of one each: two idle threads (an I/O thread and an accept thread) and one worker MBean fewer (#19). Made
 * when the first of them starts; neither shuts it down (each closes only its own listeners and connections,
 * so each still stops and restarts on its own); the daemon closes it after every service has stopped.
 */
final class SharedHttpWorker implements Supplier<XnioWorker>, AutoCloseable {

    static final String NAME = "http";

    private static final Logger log = LoggerFactory.getLogger(SharedHttpWorker.class);
    private static final Duration CLOSE_BOUND = Duration.ofMillis(500);

    private XnioWorker worker;
    private boolean closed;

    /** The worker, made at the first call; refused once closed. */
    @Override
    public synchronized XnioWorker get() {
        if (closed) {
            throw new IllegalStateException("the daemon's HTTP worker is closed");
        }
        if (worker == null) {
            try {
                worker = Xnio.getInstance(SharedHttpWorker.class.getClassLoader())
                        .createWorker(OptionMap.builder()
                                .set(Options.WORKER_NAME, NAME)
                                // One I/O thread for both, as each had one: a home has a phone or a few and one
                                // person at the web UI. Task threads: the sum of what each had at most (web UI 4
                                // for the self-check, metrics and trust; proxy 4 for name lookups), only one kept
                                // when idle.
                                .set(Options.WORKER_IO_THREADS, 1)
                                .set(Options.WORKER_TASK_CORE_THREADS, 1)
                                .set(Options.WORKER_TASK_MAX_THREADS, 8)
                                .set(Options.TCP_NODELAY, true)
                                .getMap());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the web UI's and provisioning proxy's threads", e);
            }
        }
        return worker;
    }

    /**
     * Ends the worker's threads, at once: every service on it has stopped (closed its listeners and its
     * connections), so nothing left on it is worth waiting for; the daemon's stop has its own time budget.
     */
    @Override
    public synchronized void close() {
        closed = true;
        if (worker == null) {
            return;
        }
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(CLOSE_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("HTTP threads did not stop within {} ms", CLOSE_BOUND.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
