package org.sipbridge.web.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows password guessing per client address (an IPv6 client by its /64), with back-off: the first
 * {@code freeFailures} failures cost nothing, then each further attempt waits {@code firstWait},
 * doubled for every further failure, up to {@code maxWait}. A client's failures are forgotten
 * {@code window} after the wait that its last one caused, or at once on a success.
 *
 * <p>There is deliberately no limit across clients: a handful of guessing addresses must not lock the
 * real admin out. What the slow hash can cost overall is bounded by {@link HashGate} instead.
 */
public final class LoginLimiter {

    /** Beyond this many tracked clients, new ones share one bucket (an attacker would need that many addresses). */
    static final int MAX_TRACKED_CLIENTS = 10_000;

    private static final String OVERFLOW = "(too many clients)";

    private final Clock clock;
    private final Duration window;
    private final int freeFailures;
    private final Duration firstWait;
    private final Duration maxWait;
    private final Map<String, Failures> failures = new HashMap<>();

    private static final class Failures {
        int count;
        Instant last;
    }

    public LoginLimiter(Clock clock, Duration window, int freeFailures, Duration firstWait, Duration maxWait) {
        this.clock = clock;
        this.window = window;
        this.freeFailures = freeFailures;
        this.firstWait = firstWait;
        this.maxWait = maxWait;
    }

    /** The defaults: 5 free failures, then 30 s doubling up to 15 min; forgotten 15 min after the last wait. */
    public static LoginLimiter standard(Clock clock) {
        return new LoginLimiter(clock, Duration.ofMinutes(15), 5, Duration.ofSeconds(30), Duration.ofMinutes(15));
    }

    /** Empty if {@code client} may try now, else how long it must wait (whole seconds, at least 1). */
    public synchronized Optional<Duration> attempt(String client) {
        Instant now = clock.instant();
        Failures own = failures.get(bucket(client));
        if (own == null || expired(own, now) || own.count < freeFailures) {
            return Optional.empty();
        }
        Instant until = own.last.plus(waitAfter(own.count));
        if (!now.isBefore(until)) {
            return Optional.empty();
        }
        long millis = Duration.between(now, until).toMillis();
        return Optional.of(Duration.ofSeconds(Math.max(1, (millis + 999) / 1000)));
    }

    public synchronized void failed(String client) {
        Instant now = clock.instant();
        String key = bucket(client);
        Failures own = failures.get(key);
        if (own == null) {
            if (failures.size() >= MAX_TRACKED_CLIENTS) {
                failures.values().removeIf(f -> expired(f, now));
            }
            own = failures.computeIfAbsent(
                    failures.size() >= MAX_TRACKED_CLIENTS ? OVERFLOW : key, k -> new Failures());
        } else if (expired(own, now)) {
            own.count = 0;
        }
        own.count++;
        own.last = now;
    }

    public synchronized void succeeded(String client) {
        failures.remove(bucket(client));
    }

    /** Forgotten {@code window} after the last failure's wait is over. */
    private boolean expired(Failures f, Instant now) {
        Duration wait = f.count < freeFailures ? Duration.ZERO : waitAfter(f.count);
        return !now.isBefore(f.last.plus(wait).plus(window));
    }

    /** {@code firstWait} after the first failure past the free ones, doubled for each further one, at most {@code maxWait}. */
    private Duration waitAfter(int count) {
        int doublings = Math.min(count - freeFailures, 30);
        Duration wait = firstWait.multipliedBy(1L << doublings);
        return wait.compareTo(maxWait) > 0 ? maxWait : wait;
    }

    /** The key a client is counted under: its address, an IPv6 address by its /64 (one host usually owns a whole /64). */
    private String bucket(String client) {
        String key = client;
        if (client.indexOf(':') >= 0) {
            try {
                byte[] bytes = InetAddress.getByName(client).getAddress(); // a literal: no name lookup
                StringBuilder prefix = new StringBuilder();
                for (int i = 0; i < 8 && i < bytes.length; i += 2) {
                    prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)))
                            .append(':');
                }
                key = prefix.append(":/64").toString();
            } catch (UnknownHostException e) {
                key = client;
            }
        }
        if (!failures.containsKey(key) && failures.size() >= MAX_TRACKED_CLIENTS && failures.containsKey(OVERFLOW)) {
            return OVERFLOW;
        }
        return key;
    }
}
