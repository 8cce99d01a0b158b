package org.sipbridge.dhcp;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.sipbridge.contract.network.AdapterResolver.Resolution;

/**
 * The LAN adapter's address as looked up at most {@link #MAX_AGE} ago. Listing the adapters asks the
 * kernel (several system calls per interface), so a LAN device flooding port 67 with DHCPINFORMs would
 * otherwise buy one listing per datagram; with this, a flood costs one listing per {@link #MAX_AGE}
 * whatever its rate. A second is well inside the adapter watcher's own debounce (1.5 s), so a new LAN
 * address reaches the phones no later than the rest of the bridge follows it.
 *
 * <p>A new {@code bridge.lanAdapter} is looked up at once, and {@link #forget()} (start, config change)
 * drops what was kept. A listing that fails is kept as an unresolved answer too: a broken interface list
 * must not turn a flood back into one attempt per packet. Threading: {@link #resolve} on the event loop,
 * {@link #forget} from any thread.
 */
final class RecentLanAddress implements LanAddressLookup {

    static final Duration MAX_AGE = Duration.ofSeconds(1);

    private record Looked(String spec, Resolution resolution, long atNanos) {}

    private final LanAddressLookup source;
    private final LongSupplier nanoTime;
    private volatile Looked last;

    RecentLanAddress(LanAddressLookup source, LongSupplier nanoTime) {
        this.source = Objects.requireNonNull(source, "source");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    @Override
    public Resolution resolve(String lanAdapterSpec) {
        long now = nanoTime.getAsLong();
        Looked looked = last;
        if (looked != null && looked.spec().equals(lanAdapterSpec) && now - looked.atNanos() < MAX_AGE.toNanos()) {
            return looked.resolution();
        }
        Resolution fresh = lookUp(lanAdapterSpec);
        last = new Looked(lanAdapterSpec, fresh, now);
        return fresh;
    }

    /** The next {@link #resolve} lists the adapters again. */
    void forget() {
        last = null;
    }

    private Resolution lookUp(String spec) {
        try {
            return source.resolve(spec);
        } catch (IllegalStateException e) {
            // NetworkAdapters.list() reports an unreadable interface list this way.
            return new Resolution(spec, Optional.empty(), e.getMessage());
        }
    }
}
