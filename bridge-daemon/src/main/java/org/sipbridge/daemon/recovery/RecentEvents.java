package org.sipbridge.daemon.recovery;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.sipbridge.contract.status.BridgeEvent;

/** The last few things the bridge did on its own, newest first, for the status. */
public final class RecentEvents {

    private static final int KEEP = 20;

    private final Clock clock;
    private final Deque<BridgeEvent> events = new ArrayDeque<>();

    public RecentEvents(Clock clock) {
        this.clock = clock;
    }

    public synchronized void add(String message) {
        events.addFirst(new BridgeEvent(clock.instant(), message));
        while (events.size() > KEEP) {
            events.removeLast();
        }
    }

    public synchronized List<BridgeEvent> list() {
        return List.copyOf(events);
    }
}
