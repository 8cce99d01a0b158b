package org.sipbridge.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NativeHeapTrimTest {

    @Test
    void aBridgeStoppedBeforeSettlingTrimsNothing() {
        AtomicInteger trims = new AtomicInteger();

        boolean trimmed = NativeHeapTrim.onceSettled(new CountDownLatch(0), Duration.ofDays(1), trims::incrementAndGet);

        assertFalse(trimmed);
        assertEquals(0, trims.get());
    }

    @Test
    void aSettledBridgeTrimsOnce() {
        AtomicInteger trims = new AtomicInteger();

        boolean trimmed = NativeHeapTrim.onceSettled(new CountDownLatch(1), Duration.ZERO, trims::incrementAndGet);

        assertTrue(trimmed);
        assertEquals(1, trims.get());
    }

    @Test
    void glibcGivesBackPagesFreedBelowABlockStillInUse() throws IOException {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "glibc's malloc_trim: Linux only");
        // 32 MiB freed below a block still in use: glibc cannot shrink its heap's top past that block by
        // itself (blocks of 4 KiB bypass its per-thread cache), so they stay resident until malloc_trim.
        long[] blocks = new long[8192];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = Native.malloc(4096);
        }
        long pin = Native.malloc(4096);
        for (long block : blocks) {
            Native.free(block);
        }
        try {
            long before = residentAnonymousKib();

            assertTrue(NativeHeapTrim.trim());

            long givenBack = before - residentAnonymousKib();
            assertTrue(givenBack >= 16 * 1024, "gave back only " + givenBack + " KiB of the 32 MiB freed");
        } finally {
            Native.free(pin);
        }
    }

    private static long residentAnonymousKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("RssAnon:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no RssAnon in /proc/self/status");
    }
}
