package org.sipbridge.sip.registration;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import org.sipbridge.contract.LogText;
import org.sipbridge.sip.identity.Device;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bridge.maxPhones}: how many phones (LAN addresses holding a live binding) the bridge serves
 * at once. A phone already served may always register again (a refresh, another line); a new one
 * beyond the limit is refused. Counted, logged once each time the limit is reached, and the last
 * refusal kept for the status page.
 *
 * <p>Checked when a REGISTER arrives, so two new phones registering at the same instant may both pass
 * the last free place; the limit bounds a home's phones and what the bridge tracks, not a race.
 */
public final class PhoneLimit {

    /** The answer to a new phone beyond the limit: final (RFC 3261 §21.4.4: do not repeat), reason spelled out. */
    public static final String REFUSAL = "Phone limit of this bridge reached";

    private static final Logger log = LoggerFactory.getLogger(PhoneLimit.class);

    /** A refusal for the status page: which address and when. */
    public record Refusal(String address, Instant at) {}

    private final BindingTable bindings;
    private final IntSupplier max;
    private final Clock clock;
    private final LongAdder refused = new LongAdder();
    private final AtomicBoolean full = new AtomicBoolean();
    private final AtomicReference<Refusal> last = new AtomicReference<>();

    public PhoneLimit(BindingTable bindings, IntSupplier max, Clock clock) {
        this.bindings = bindings;
        this.max = max;
        this.clock = clock;
    }

    /** True when {@code device} may register: it is served already, or there is room for one more phone. */
    public boolean admits(Device device) {
        if (bindings.hasLiveBindingFrom(device.ip())) {
            return true;
        }
        boolean room = bindings.liveDeviceAddresses() < max.getAsInt();
        if (room) {
            full.set(false);
        }
        return room;
    }

    /** Notes a refused REGISTER of {@code device}; the warning is logged once until there is room again. */
    public void refused(Device device) {
        refused.increment();
        last.set(new Refusal(device.ip(), clock.instant()));
        if (full.compareAndSet(false, true)) {
            log.warn(
                    "Refused the registration of a new phone at {}: bridge.maxPhones ({}) phones are registered; "
                            + "raise bridge.maxPhones or unregister a phone",
                    LogText.bounded(device.ip()),
                    max.getAsInt());
        } else {
            log.debug(
                    "Refused the registration of a new phone at {}: phone limit reached", LogText.bounded(device.ip()));
        }
    }

    /** REGISTERs of new phones refused since the relay started. */
    public long refusedCount() {
        return refused.sum();
    }

    public Optional<Refusal> lastRefusal() {
        return Optional.ofNullable(last.get());
    }
}
