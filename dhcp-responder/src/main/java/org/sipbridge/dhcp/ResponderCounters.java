package org.sipbridge.dhcp;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.sipbridge.dhcp.codec.BootOp;
import org.sipbridge.dhcp.codec.DhcpMessageType;
import org.sipbridge.dhcp.reply.IgnoreReason;
import org.sipbridge.dhcp.reply.ReplyDecision;

/**
 * Counts outcomes. Written by the event-loop thread, read by whoever asks for {@link #snapshot()};
 * plain adders, no lock. Kept apart from the packet path so that the path only reports what happened.
 */
final class ResponderCounters {

    private final Clock clock;
    private final LongAdder informsSeen = new LongAdder();
    private final LongAdder answered = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder sendFailures = new LongAdder();
    /** Filled for every reason up front, so reads need no synchronisation. */
    private final Map<IgnoreReason, LongAdder> ignored = new EnumMap<>(IgnoreReason.class);

    private final AtomicReference<PhoneSighting> lastPhone = new AtomicReference<>();
    /** Told of every DHCPINFORM on the event-loop thread; must be quick and must not block. */
    private volatile Consumer<PhoneSighting> sightings = sighting -> {};

    ResponderCounters(Clock clock) {
        this.clock = clock;
        for (IgnoreReason reason : IgnoreReason.values()) {
            ignored.put(reason, new LongAdder());
        }
    }

    void record(Outcome outcome) {
        if (outcome instanceof Outcome.Malformed) {
            malformed.increment();
            return;
        }
        Outcome.Handled handled = (Outcome.Handled) outcome;
        if (handled.request().op() == BootOp.BOOTREQUEST
                && handled.request()
                        .options()
                        .messageType()
                        .filter(DhcpMessageType.INFORM::equals)
                        .isPresent()) {
            informsSeen.increment();
            PhoneSighting sighting = PhoneSighting.of(handled.request(), handled.decision(), clock.instant());
            lastPhone.set(sighting);
            sightings.accept(sighting);
        }
        if (handled.decision() instanceof ReplyDecision.Ignored ignoredDecision) {
            ignored.get(ignoredDecision.reason()).increment();
        } else {
            answered.increment();
        }
    }

    void tellSightingsTo(Consumer<PhoneSighting> listener) {
        sightings = listener;
    }

    void sendFailed() {
        sendFailures.increment();
    }

    DhcpStats snapshot() {
        Map<IgnoreReason, Long> ignoredNow = new EnumMap<>(IgnoreReason.class);
        ignored.forEach((reason, count) -> ignoredNow.put(reason, count.sum()));
        return new DhcpStats(
                informsSeen.sum(),
                answered.sum(),
                ignoredNow,
                malformed.sum(),
                sendFailures.sum(),
                Optional.ofNullable(lastPhone.get()));
    }
}
