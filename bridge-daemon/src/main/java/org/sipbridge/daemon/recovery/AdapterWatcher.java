package org.sipbridge.daemon.recovery;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.sipbridge.contract.network.AdapterResolver;
import org.sipbridge.contract.network.AdapterResolver.Resolution;
import org.sipbridge.contract.network.NetworkAdapter;
import org.sipbridge.contract.service.BridgeService;
import org.sipbridge.contract.service.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices when the LAN or VPN adapter goes down, comes back or gets a new address, and reports the
 * change once it has been stable for the debounce time, so the listeners bound to it can be rebound.
 * <p>
 * It looks at the adapter list (java.net.NetworkInterface) when {@link AdapterEvents} says they may
 * have changed: on Linux when the kernel reports a link or address change over netlink (the thread
 * sleeps until then: no wake-ups on an idle laptop), elsewhere every {@link #POLL_MS}. While a change
 * settles it looks again every {@link #POLL_MS} until the debounce time has passed.
 */
public final class AdapterWatcher implements BridgeService {

    private static final Logger log = LoggerFactory.getLogger(AdapterWatcher.class);
    public static final long POLL_MS = 500;
    public static final long DEBOUNCE_MS = 1500;
    /**
     * An adapter that comes back (the other one unchanged) needs only this long: a return never
     * restarts anything that holds calls (same address: nothing to do; a new VPN address: the relays
     * move and the calls stay), and every millisecond here is silence in the calls (issue 17: audio
     * back within 2 s of a readdressed VPN).
     */
    public static final long RETURN_DEBOUNCE_MS = 500;

    /** One adapter as the services would bind to it: name and address, or why it cannot be used. */
    public record Seen(String role, String spec, String name, String address, String problem) {

        public boolean usable() {
            return !address.isEmpty();
        }

        /** What a listener binds to; the problem text does not count (it may change while unusable). */
        boolean sameBinding(Seen other) {
            return name.equals(other.name) && address.equals(other.address);
        }

        static Seen of(String role, Resolution resolution) {
            return resolution
                    .adapter()
                    .map(a -> new Seen(role, resolution.spec(), a.adapter().name(), a.addressText(), ""))
                    .orElseGet(() -> new Seen(role, resolution.spec(), "", "", resolution.problem()));
        }
    }

    /** Both adapters at one moment. */
    public record Observed(Seen lan, Seen vpn) {

        boolean sameBindings(Observed other) {
            return other != null && lan.sameBinding(other.lan) && vpn.sameBinding(other.vpn);
        }
    }

    /** Told of a stable change, on the watcher's thread. */
    public interface Listener {
        void changed(Observed before, Observed after);
    }

    private final Supplier<List<NetworkAdapter>> adapters;
    private final Supplier<String> lanSpec;
    private final Supplier<String> vpnSpec;
    private final LongSupplier nowMs;
    private final long debounceMs;
    private final Listener listener;
    private final Supplier<AdapterEvents> openEvents;
    private Observed applied;
    private Observed candidate;
    private long candidateSinceMs;
    /** The running watch's source of events; null while stopped. */
    private AdapterEvents events;

    /** Watches with netlink events where available, else polling (see {@link AdapterEvents#open}). */
    public AdapterWatcher(
            Supplier<List<NetworkAdapter>> adapters,
            Supplier<String> lanSpec,
            Supplier<String> vpnSpec,
            LongSupplier nowMs,
            long debounceMs,
            Listener listener) {
        this(adapters, lanSpec, vpnSpec, nowMs, debounceMs, listener, () -> AdapterEvents.open(POLL_MS));
    }

    AdapterWatcher(
            Supplier<List<NetworkAdapter>> adapters,
            Supplier<String> lanSpec,
            Supplier<String> vpnSpec,
            LongSupplier nowMs,
            long debounceMs,
            Listener listener,
            Supplier<AdapterEvents> openEvents) {
        this.openEvents = openEvents;
        this.adapters = adapters;
        this.lanSpec = lanSpec;
        this.vpnSpec = vpnSpec;
        this.nowMs = nowMs;
        this.debounceMs = debounceMs;
        this.listener = listener;
    }

    @Override
    public String name() {
        return "adapter-watcher";
    }

    /**
     * Takes the adapters as they are now as what the services are bound to, then watches them. The
     * events are subscribed to first, so that a change in between is not missed.
     */
    @Override
    public synchronized void start() {
        AdapterEvents opened = openEvents.get();
        applied = observe();
        if (events != null) {
            events.wake(); // started twice: the earlier thread ends instead of waiting on forever
        }
        events = opened;
        log.info("Network adapter changes: {}", opened.describe());
        Thread thread = new Thread(() -> watch(opened), "adapter-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** The watcher's thread: waits for an event (or, while a change settles, a poll's time), then looks. */
    private void watch(AdapterEvents opened) {
        AdapterEvents current = opened;
        try {
            while (isRunning(current)) {
                try {
                    current.await(settling() ? POLL_MS : AdapterEvents.NO_TIMEOUT);
                } catch (UncheckedIOException e) {
                    log.warn("Network adapter events stopped, polling them instead ({})", e.getMessage());
                    current = replace(current, new PollingAdapterEvents(POLL_MS));
                }
                if (isRunning(current)) {
                    safeTick();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            current.close();
        }
    }

    private synchronized boolean isRunning(AdapterEvents source) {
        return events == source;
    }

    private synchronized boolean settling() {
        return candidate != null;
    }

    private synchronized AdapterEvents replace(AdapterEvents broken, AdapterEvents next) {
        broken.close();
        if (events == broken) {
            events = next;
        }
        return next;
    }

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("Could not check the network adapters", e); // and try again on the next event or poll
        }
    }

    /** One look: reports a change that has been stable for the debounce time. */
    void tick() {
        Observed now = observe();
        Observed before;
        synchronized (this) {
            if (now.sameBindings(applied)) {
                candidate = null;
                return;
            }
            long at = nowMs.getAsLong();
            if (!now.sameBindings(candidate)) {
                candidate = now;
                candidateSinceMs = at;
                return;
            }
            if (at - candidateSinceMs
                    < (isReturn(applied, now) ? Math.min(debounceMs, RETURN_DEBOUNCE_MS) : debounceMs)) {
                return;
            }
            before = applied;
            applied = now;
            candidate = null;
        }
        listener.changed(before, now);
    }

    /** One adapter went from unusable to usable while the other kept its binding. */
    static boolean isReturn(Observed applied, Observed now) {
        return (!applied.vpn().usable() && now.vpn().usable() && applied.lan().sameBinding(now.lan()))
                || (!applied.lan().usable()
                        && now.lan().usable()
                        && applied.vpn().sameBinding(now.vpn()));
    }

    Observed observe() {
        List<NetworkAdapter> found = adapters.get();
        return new Observed(
                Seen.of("LAN", AdapterResolver.resolve(lanSpec.get(), found)),
                Seen.of("VPN", AdapterResolver.resolve(vpnSpec.get(), found)));
    }

    /**
     * While a change waits out the debounce, the listeners are still bound to the old address: the
     * bridge must not look Ready in that moment.
     */
    @Override
    public synchronized List<Reason> reasons() {
        if (candidate == null) {
            return List.of();
        }
        List<String> what = new java.util.ArrayList<>();
        describe(applied.lan(), candidate.lan()).ifPresent(what::add);
        describe(applied.vpn(), candidate.vpn()).ifPresent(what::add);
        return List.of(Reason.notReady(
                name(),
                String.join("; ", what) + "; rebinding when it is stable",
                "Nothing to do: sipbridge rebinds its listeners on its own within seconds."));
    }

    @Override
    public synchronized void stop() {
        if (events != null) {
            events.wake(); // its thread ends, closing it
            events = null;
        }
    }

    /**
     * What happened to one adapter between two observations, in the words the status shows, or empty
     * when its binding did not change.
     */
    public static java.util.Optional<String> describe(Seen before, Seen after) {
        if (before.sameBinding(after)) {
            return java.util.Optional.empty();
        }
        String label = after.role() + " adapter "
                + (after.usable() ? after.name() : before.usable() ? before.name() : after.spec());
        if (!after.usable()) {
            return java.util.Optional.of(label + " went down (" + after.problem() + ")");
        }
        if (!before.usable()) {
            return java.util.Optional.of(label + " came back with " + after.address());
        }
        if (!before.name().equals(after.name())) {
            return java.util.Optional.of(label + " now serves as " + after.role() + " adapter with " + after.address()
                    + " (was " + before.name() + ")");
        }
        return java.util.Optional.of(
                label + " has a new address " + after.address() + " (was " + before.address() + ")");
    }
}
