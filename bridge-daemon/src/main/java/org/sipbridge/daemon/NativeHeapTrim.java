package org.sipbridge.daemon;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once, a minute after the start: hands the C heap that start-up used and freed back to the OS (#19,
 * an idle bridge's resident memory). Loading 6 000 classes and the JIT's first burst of compilations
 * malloc and free megabytes; glibc keeps the freed pages in its arenas for the next malloc, which an
 * idle bridge never makes, and {@code malloc_trim(0)} returns them (about 2 MiB, docs/benchmarks.md).
 * Once rather than the JVM's {@code -XX:TrimNativeHeapInterval}, which adds a thread that wakes up
 * for ever. Runs on the main thread, which otherwise only waits for the stop. Linux (64-bit, glibc)
 * through JNA, which the adapter watcher has loaded already; elsewhere it does nothing.
 */
final class NativeHeapTrim {

    /** Long enough for the JIT to have compiled what the start and the first registrations needed. */
    static final Duration SETTLE = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(NativeHeapTrim.class);
    private static final String JNA_SEARCH_PATH = "jna.platform.library.path";

    private NativeHeapTrim() {}

    /** glibc's malloc_trim through JNA's direct mapping; loading fails without glibc (e.g. musl). */
    private static final class LibC {
        static {
            Native.register(Platform.C_LIBRARY_NAME);
        }

        static native int malloc_trim(long pad);
    }

    /** Waits {@link #SETTLE} on the calling thread, then trims, unless the bridge stops first. */
    static void afterSettling(CountDownLatch stopped) {
        onceSettled(stopped, SETTLE, () -> log.debug("Native heap trimmed after start-up: {}", trim()));
    }

    /** @return whether {@code trim} ran: not when {@code stopped} opened (or the wait was interrupted) first */
    static boolean onceSettled(CountDownLatch stopped, Duration settle, Runnable trim) {
        try {
            if (stopped.await(settle.toMillis(), TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        trim.run();
        return true;
    }

    /** @return whether glibc gave memory back; false where there is no glibc to ask */
    static boolean trim() {
        if (!System.getProperty("os.name", "").startsWith("Linux")
                || !"64".equals(System.getProperty("sun.arch.data.model"))) {
            return false;
        }
        // As the adapter watcher does: libc by its soname, without JNA forking `ldconfig -p`.
        if (System.getProperty(JNA_SEARCH_PATH) == null) {
            System.setProperty(JNA_SEARCH_PATH, "");
        }
        try {
            return LibC.malloc_trim(0) == 1;
        } catch (LinkageError e) {
            log.debug("No malloc_trim here: {}", e.toString());
            return false;
        }
    }
}
