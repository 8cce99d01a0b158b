package org.sipbridge.provisioning.admission;

/** Reads the count at most every 50 ms. */
final class RefreshedDescriptorUsage implements DescriptorUsage {
    private static final long REFRESH_NANOS = 50_000_000L;
    private final DescriptorCount count;
    private volatile long readAt = System.nanoTime() - REFRESH_NANOS;
    private volatile double share;

    RefreshedDescriptorUsage(DescriptorCount count) {
        this.count = count;
    }

    @Override
    public double share() {
        long now = System.nanoTime();
        if (now - readAt >= REFRESH_NANOS) {
            long max = count.max();
            share = max <= 0 ? 0 : (double) count.open() / max;
            readAt = now;
        }
        return share;
    }
}
