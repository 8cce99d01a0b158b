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
 */
public final class Rebinder implements AdapterWatcher.Listener {

    private static final Logger log = LoggerFactory.getLogger(Rebinder.class);

    private final Set<String> boundServices;
    private final Function<Set<String>, List<String>> restart;
    private final RecentEvents events;

    /** {@code restart} stops and starts the named services in order and returns why some did not start. */
    public Rebinder(Set<String> boundServices, Function<Set<String>, List<String>> restart, RecentEvents events) {
        this.boundServices = Set.copyOf(boundServices);
        this.restart = restart;
        this.events = events;
    }

    @Override
    public void changed(AdapterWatcher.Observed before, AdapterWatcher.Observed after) {
        List<String> what = new ArrayList<>();
        AdapterWatcher.describe(before.lan(), after.lan()).ifPresent(what::add);
        AdapterWatcher.describe(before.vpn(), after.vpn()).ifPresent(what::add);
        log.info("{}; restarting {}", String.join("; ", what), boundServices);
        List<String> problems = restart.apply(boundServices);
        events.add(String.join("; ", what) + "; " + outcome(before, after, problems));
    }

    static String outcome(AdapterWatcher.Observed before, AdapterWatcher.Observed after, List<String> problems) {
        boolean wasUsable = before.lan().usable() && before.vpn().usable();
        if (!after.lan().usable() || !after.vpn().usable()) {
            return "waiting for it" + (wasUsable ? " (calls in progress were lost)" : "");
        }
        if (!problems.isEmpty()) {
            return "rebinding failed: " + String.join("; ", problems);
        }
        return "listeners rebound" + (wasUsable ? " (calls in progress were lost)" : "");
    }
}
