package org.sipbridge.io;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one netty event loop thread that every netty socket of the bridge runs on (the RTP relay's and
 * the DHCP responder's): a loop of its own per service was one more idle thread each (#19).
 *
 * <p>Each service takes a {@link Lease} when it starts and closes it when it stops; the loop's thread
 * ends with the last lease and the next lease starts a new one. So a service stops and restarts on its
 * own (it closes its own channels, never the loop) and an idle bridge with none of them running has no
 * loop thread. One loop per backend: a channel must run on a loop of its own kind (tests run epoll and
 * NIO side by side).
 *
 * <p>Threading rule for everything on this loop: never block, and keep each event small. The RTP relay
 * forwards every packet of every call here; a handler that waits (disk, DNS, a lock held elsewhere)
 * delays all media.
 */
public final class SharedEventLoop {

    /** The loop thread's name prefix (threads are named {@code netty-loop-<n>-1}). */
    public static final String THREAD_NAME = "netty-loop";

    private static final Map<IoBackend, SharedEventLoop> BY_BACKEND = new EnumMap<>(IoBackend.class);

    private final IoBackend backend;
    private EventLoopGroup group;
    private int leases;

    private SharedEventLoop(IoBackend backend) {
        this.backend = backend;
    }

    /** A lease on the shared loop for {@code backend}, starting its thread when no lease is open. */
    public static Lease lease(IoBackend backend) {
        SharedEventLoop shared;
        synchronized (BY_BACKEND) {
            shared = BY_BACKEND.computeIfAbsent(backend, SharedEventLoop::new);
        }
        return shared.open();
    }

    private synchronized Lease open() {
        if (group == null) {
            group = new MultiThreadIoEventLoopGroup(
                    1, new DefaultThreadFactory(THREAD_NAME, true), backend.ioHandlerFactory());
            // netty starts a loop's thread with its first task: start it now, so the thread exists from the
            // first service's start (a thread appearing with the first call would read as a leak).
            group.execute(() -> {});
        }
        leases++;
        return new Lease(this, group);
    }

    private void release() {
        EventLoopGroup ending;
        synchronized (this) {
            if (--leases > 0) {
                return;
            }
            ending = group;
            group = null;
        }
        ending.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** One service's use of the shared loop; {@link #close()} gives it back (once; later calls do nothing). */
    public static final class Lease implements AutoCloseable {
        private final SharedEventLoop owner;
        private final EventLoopGroup group;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Lease(SharedEventLoop owner, EventLoopGroup group) {
            this.owner = owner;
            this.group = group;
        }

        /** The loop's group, for a {@code Bootstrap}; never shut it down, close this lease instead. */
        public EventLoopGroup group() {
            return group;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                owner.release();
            }
        }
    }
}
