package org.sipbridge.daemon.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.contract.network.NetworkAdapter;

/** How the watcher's thread waits on its {@link AdapterEvents}: when it sleeps, when it looks again. */
class AdapterWatcherEventsTest {

    private static final NetworkAdapter LAN = adapter("eth0", "198.18.1.1/24");
    private static final NetworkAdapter VPN = adapter("tun0", "198.19.2.1/24");

    private volatile List<NetworkAdapter> adapters = List.of(LAN, VPN);
    private final Semaphore looks = new Semaphore(0);
    private final ScriptedEvents events = new ScriptedEvents();
    private AdapterWatcher watcher;

    private static NetworkAdapter adapter(String name, String address) {
        return new NetworkAdapter(name, name, true, false, List.of(Ipv4Subnet.parse(address)));
    }

    /** Each await hands its timeout to the test and returns when the test (or {@link #wake}) says so. */
    private static final class ScriptedEvents implements AdapterEvents {
        final BlockingQueue<Long> timeouts = new LinkedBlockingQueue<>();
        final Semaphore go = new Semaphore(0);
        final CountDownLatch closed = new CountDownLatch(1);
        volatile boolean breakOnNextAwait;

        @Override
        public void await(long timeoutMs) throws InterruptedException {
            timeouts.add(timeoutMs);
            if (breakOnNextAwait) {
                throw new UncheckedIOException(new IOException("netlink recv: Bad file descriptor"));
            }
            go.acquire();
        }

        @Override
        public void wake() {
            go.release();
        }

        @Override
        public void close() {
            closed.countDown();
        }

        @Override
        public String describe() {
            return "scripted";
        }
    }

    private void startWatching() {
        watcher = new AdapterWatcher(
                () -> {
                    looks.release();
                    return adapters;
                },
                () -> "eth0",
                () -> "tun0",
                System::currentTimeMillis,
                60_000,
                (before, after) -> {},
                () -> events);
        watcher.start();
        looks.drainPermits(); // the look at start
    }

    @AfterEach
    void stopWatching() {
        watcher.stop();
    }

    private long nextTimeout() throws InterruptedException {
        Long timeout = events.timeouts.poll(10, TimeUnit.SECONDS);
        assertTrue(timeout != null, "the watcher did not wait again");
        return timeout;
    }

    @Test
    void itSleepsUntilAnEventAndLooksAgainEveryPollOnlyWhileAChangeSettles() throws InterruptedException {
        startWatching();
        assertEquals(AdapterEvents.NO_TIMEOUT, nextTimeout(), "nothing settles: wait for the kernel");

        adapters = List.of(LAN);
        events.go.release(); // the kernel reports the VPN adapter gone
        assertEquals(AdapterWatcher.POLL_MS, nextTimeout(), "a change settles: look again after a poll's time");
        assertTrue(looks.tryAcquire(10, TimeUnit.SECONDS));

        adapters = List.of(LAN, VPN);
        events.go.release(); // back as it was before the debounce ended: nothing settles any more
        assertEquals(AdapterEvents.NO_TIMEOUT, nextTimeout());
    }

    @Test
    void stopWakesTheThreadWhichClosesTheEvents() throws InterruptedException {
        startWatching();
        assertEquals(AdapterEvents.NO_TIMEOUT, nextTimeout());
        watcher.stop();
        assertTrue(events.closed.await(10, TimeUnit.SECONDS));
        assertEquals(0, looks.availablePermits(), "looked at the adapters after stop");
    }

    @Test
    void eventsThatBreakAreClosedAndReplacedByPolling() throws InterruptedException {
        events.breakOnNextAwait = true;
        startWatching();
        assertTrue(events.closed.await(10, TimeUnit.SECONDS));
        assertTrue(looks.tryAcquire(2, 10, TimeUnit.SECONDS), "no polls after the events broke");
    }
}
