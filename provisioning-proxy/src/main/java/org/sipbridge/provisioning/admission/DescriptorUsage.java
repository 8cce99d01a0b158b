package org.sipbridge.provisioning.admission;

import java.nio.file.Files;

/** The share (0..1) of its file-descriptor limit the process uses now. */
@FunctionalInterface
public interface DescriptorUsage {

    double share();

    /**
     * Counted from /proc on Linux (what the JVM's own UnixOperatingSystemMXBean does there, without
     * loading JMX, ~150 classes at start: #19); elsewhere the JVM's count, looked up at first use. It
     * costs more the more are open: read at most every 50 ms.
     */
    static DescriptorUsage ofThisProcess() {
        DescriptorCount count = Files.isDirectory(ProcDescriptorCount.OPEN_DESCRIPTORS)
                ? new ProcDescriptorCount()
                : new ManagementDescriptorCount();
        return new RefreshedDescriptorUsage(count);
    }
}
