package org.sipbridge.provisioning.admission;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** The share (0..1) of its file-descriptor limit the process uses now. */
@FunctionalInterface
public interface DescriptorUsage {

    double share();

    /**
     * The JVM's own count (on Linux it lists /proc/self/fd, so it costs more the more are open: read at
     * most every 50 ms); 0 where the platform does not say.
     */
    static DescriptorUsage ofThisProcess() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof UnixOperatingSystemMXBean unix)) {
            return () -> 0;
        }
        return new DescriptorUsage() {
            private static final long REFRESH_NANOS = 50_000_000L;
            private volatile long readAt = System.nanoTime() - REFRESH_NANOS;
            private volatile double share;

            @Override
            public double share() {
                long now = System.nanoTime();
                if (now - readAt >= REFRESH_NANOS) {
                    long max = unix.getMaxFileDescriptorCount();
                    share = max <= 0 ? 0 : (double) unix.getOpenFileDescriptorCount() / max;
                    readAt = now;
                }
                return share;
            }
        };
    }
}
