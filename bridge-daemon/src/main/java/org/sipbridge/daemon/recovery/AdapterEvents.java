package org.sipbridge.daemon.recovery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the adapter watcher when to look at the adapters again: the kernel's netlink messages on
 * Linux, else a poll. Threading: {@link #await} and {@link #close} on the watcher's thread only,
 * {@link #wake} from any thread.
 */
interface AdapterEvents extends AutoCloseable {

    /** {@link #await}'s timeout for "until something happens". */
    long NO_TIMEOUT = -1;

    /**
     * Blocks until the adapters may have changed, {@code timeoutMs} passed, or {@link #wake} was
     * called; the caller looks at the adapters after each return either way.
     *
     * @throws java.io.UncheckedIOException when the source broke and will not report changes again
     */
    void await(long timeoutMs) throws InterruptedException;

    /** Makes a blocked (or the next) {@link #await} return now. */
    void wake();

    /** Releases the source; only after the last {@link #await}. */
    @Override
    void close();

    /** How changes are noticed, for the log. */
    String describe();

    /** Netlink events where the kernel and JNA allow, else polling every {@code pollMs}. */
    static AdapterEvents open(long pollMs) {
        Logger log = LoggerFactory.getLogger(AdapterEvents.class);
        if (NetlinkAdapterEvents.supported()) {
            try {
                return NetlinkAdapterEvents.open();
            } catch (RuntimeException
                    | LinkageError e) { // no libjnidispatch for this machine, a kernel without netlink
                log.info("Network adapter changes are polled: netlink events unavailable ({})", e.toString());
            }
        }
        return new PollingAdapterEvents(pollMs);
    }
}
