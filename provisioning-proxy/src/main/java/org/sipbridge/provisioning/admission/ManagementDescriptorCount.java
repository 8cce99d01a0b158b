package org.sipbridge.provisioning.admission;

/** Other platforms: the JVM's UnixOperatingSystemMXBean (JMX), when there is one. */
final class ManagementDescriptorCount implements DescriptorCount {
    private final java.lang.management.OperatingSystemMXBean os =
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    @Override
    public long open() {
        return os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getOpenFileDescriptorCount() : 0;
    }

    @Override
    public long max() {
        return os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : 0;
    }
}
