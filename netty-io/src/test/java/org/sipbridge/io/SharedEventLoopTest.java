package org.sipbridge.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every netty service of the bridge on one loop thread, each stopping on its own (#19). */
class SharedEventLoopTest {

    @Test
    void leasesShareOneLoopThread() throws Exception {
        try (SharedEventLoop.Lease rtp = SharedEventLoop.lease(IoBackend.NIO);
                SharedEventLoop.Lease dhcp = SharedEventLoop.lease(IoBackend.NIO)) {
            assertSame(rtp.group(), dhcp.group());
            assertEquals(threadOf(rtp.group()), threadOf(dhcp.group()));
            assertEquals(1, loopThreads(rtp.group()));
        }
    }

    @Test
    void oneLeaseClosedLeavesTheLoopRunningForTheOther() throws Exception {
        SharedEventLoop.Lease first = SharedEventLoop.lease(IoBackend.NIO);
        try (SharedEventLoop.Lease second = SharedEventLoop.lease(IoBackend.NIO)) {
            first.close();
            first.close(); // a second close must not take the other service's lease away

            assertFalse(second.group().isShuttingDown(), "the other service's loop still runs");
            assertEquals("ran", second.group().submit(() -> "ran").get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void theLastLeaseEndsTheLoopAndTheNextStartsANewOne() {
        EventLoopGroup ended;
        try (SharedEventLoop.Lease only = SharedEventLoop.lease(IoBackend.NIO)) {
            ended = only.group();
        }
        assertTrue(ended.isShuttingDown(), "the loop ends once no service uses it");
        try (SharedEventLoop.Lease next = SharedEventLoop.lease(IoBackend.NIO)) {
            assertNotSame(ended, next.group());
            assertFalse(next.group().isShuttingDown());
        }
    }

    private static String threadOf(EventLoopGroup group) throws Exception {
        return group.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
    }

    private static long loopThreads(EventLoopGroup group) {
        long count = 0;
        for (var ignored : group) {
            count++;
        }
        return count;
    }
}
