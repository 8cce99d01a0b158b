package org.sipbridge.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when netty reported a leaked buffer (surefire runs with paranoid leak detection).
 * Netty reports a leak when a later allocation finds a buffer that was collected without release(), so
 * this collects garbage and allocates a few buffers before looking. Best effort: it can miss a leak
 * the garbage collector has not yet found, never invent one.
 */
public final class LeakCheck implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(50);
            for (int i = 0; i < 64; i++) {
                ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(2048);
                probe.release();
            }
        }
        if (!LeakRecorder.leaks().isEmpty()) {
            throw new AssertionError("netty reported leaked buffers:\n" + String.join("\n", LeakRecorder.leaks()));
        }
    }
}
