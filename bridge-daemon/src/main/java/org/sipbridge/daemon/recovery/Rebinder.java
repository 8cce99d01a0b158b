package org.sipbridge.daemon.recovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on an adapter change: restarts the services bound to the adapters (they rebind to the new
 * addresses, or wait while an adapter is away) and records in plain words what happened.
 * <p>
 * An adapter that goes away is not a reason to restart: a VPN that drops for a few seconds usually
 * comes back with the same address, and the sockets bound to it work again then, so the services
 * keep them (and the calls in progress) while the adapter is away. They are restarted only when an
 * adapter comes back (or is replaced) with another binding than the one they hold.
 */
public final class Rebinder implements AdapterWatcher.Listener {

    private static final Logger log = LoggerFactory.getLogger(Rebinder.class);

    private final Set<String> boundServices;
    private final Function<Set<String>, List<String>> restart;
    private final RecentEvents events;
    private final VpnMover mover;
    /** What the bound services listen on; the watcher's first 'before' until a restart changes it. */
    private AdapterWatcher.Observed bound;

    /** {@code restart} stops and starts the named services in order and returns why some did not start. */
    public Rebinder(Set<String> boundServices, Function<Set<String>, List<String>> restart, RecentEvents events) {
        this(boundServices, restart, events, VpnMover.NONE);
    }

    /** {@code mover} moves the relays to a new VPN address without a restart (see {@link VpnMover}). */
    public Rebinder(
            Set<String> boundServices,
            Function<Set<String>, List<String>> restart,
            RecentEvents events,
            VpnMover mover) {
        this.boundServices = Set.copyOf(boundServices);
        this.restart = restart;
        this.events = events;
        this.mover = mover;
    }

    @Override
    public void changed(AdapterWatcher.Observed before, AdapterWatcher.Observed after) {
        if (bound == null) {
            bound = before;
        }
        List<String> what = new ArrayList<>();
        AdapterWatcher.describe(before.lan(), after.lan()).ifPresent(what::add);
        AdapterWatcher.describe(before.vpn(), after.vpn()).ifPresent(what::add);
        String change = String.join("; ", what);
        if (keepsBindings(bound, after)) {
            String kept = usable(after)
                    ? "same address as before, listeners and calls in progress kept"
                    : "waiting for it; calls in progress are kept if it comes back with the same address, new calls get 503";
            log.info("{}; {}", change, kept);
            events.add(change + "; " + kept);
            return;
        }
        if (onlyVpnAddressChanged(bound, after)) {
            List<String> failures = mover.moveTo(after.vpn());
            if (failures.isEmpty()) {
                Set<String> others = new java.util.TreeSet<>(boundServices);
                others.removeAll(mover.services());
                log.info(
                        "{}; calls in progress moved to {}; restarting {}",
                        change,
                        after.vpn().address(),
                        others);
                List<String> problems = restart.apply(others);
                events.add(change + "; calls in progress kept: SIP and RTP moved to "
                        + after.vpn().address()
                        + " and each call's PBX leg re-INVITEd"
                        + (problems.isEmpty() ? "" : "; other listeners failed: " + String.join("; ", problems)));
                bound = after;
                return;
            }
            log.warn(
                    "{}; could not move the calls in progress ({}); restarting {}",
                    change,
                    String.join("; ", failures),
                    boundServices);
        }
        log.info("{}; restarting {}", change, boundServices);
        List<String> problems = restart.apply(boundServices);
        events.add(change + "; " + outcome(bound, after, problems));
        bound = after;
    }

    /**
     * Whether services bound to {@code bound} can stay as they are with the adapters as {@code now}:
     * they were bound to usable adapters, and each adapter is either away for now or back with the
     * same name and address.
     */
    static boolean keepsBindings(AdapterWatcher.Observed bound, AdapterWatcher.Observed now) {
        return usable(bound) && keeps(bound.lan(), now.lan()) && keeps(bound.vpn(), now.vpn());
    }

    /**
     * Services bound to {@code bound} can follow {@code now} by moving their VPN side: both are usable,
     * the LAN binding is the same and the VPN address is another one.
     */
    static boolean onlyVpnAddressChanged(AdapterWatcher.Observed bound, AdapterWatcher.Observed now) {
        return usable(bound)
                && usable(now)
                && bound.lan().sameBinding(now.lan())
                && !bound.vpn().address().equals(now.vpn().address());
    }

    private static boolean keeps(AdapterWatcher.Seen bound, AdapterWatcher.Seen now) {
        return !now.usable() || bound.sameBinding(now);
    }

    private static boolean usable(AdapterWatcher.Observed observed) {
        return observed.lan().usable() && observed.vpn().usable();
    }

    static String outcome(AdapterWatcher.Observed bound, AdapterWatcher.Observed after, List<String> problems) {
        boolean wasUsable = usable(bound);
        if (!usable(after)) {
            return "waiting for it" + (wasUsable ? " (calls in progress were lost)" : "");
        }
        if (!problems.isEmpty()) {
            return "rebinding failed: " + String.join("; ", problems);
        }
        return "listeners rebound" + (wasUsable ? " (calls in progress were lost)" : "");
    }
}
