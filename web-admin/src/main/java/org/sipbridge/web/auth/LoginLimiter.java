package org.sipbridge.web.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows password guessing: at most {@code perClient} failed attempts per client address and
 * {@code global} attempts of any kind across all clients within {@code window}. The global bound also
 * caps the CPU the slow hash can be made to burn.
 */
public final class LoginLimiter {

    private static final int MAX_TRACKED_CLIENTS = 10_000;

    private final Clock clock;
    private final Duration window;
    private final int perClient;
    private final int global;
    private final Map<String, Deque<Instant>> failures = new HashMap<>();
    private final Deque<Instant> attempts = new ArrayDeque<>();

    public LoginLimiter(Clock clock, Duration window, int perClient, int global) {
        this.clock = clock;
        this.window = window;
        this.perClient = perClient;
        this.global = global;
    }

    /** The defaults: 5 failures per client and 60 attempts overall per 5 minutes. */
    public static LoginLimiter standard(Clock clock) {
        return new LoginLimiter(clock, Duration.ofMinutes(5), 5, 60);
    }

    /**
     * Counts an attempt from {@code client}; empty if it may go ahead, else how long to wait
     * (whole seconds, at least 1).
     */
    public synchronized Optional<Duration> attempt(String client) {
        Instant now = clock.instant();
        Deque<Instant> own = failures.get(client);
        if (own != null) {
            prune(own, now);
            if (own.size() >= perClient) {
                return Optional.of(waitUntil(own.peekFirst(), now));
            }
        }
        prune(attempts, now);
        if (attempts.size() >= global) {
            return Optional.of(waitUntil(attempts.peekFirst(), now));
        }
        attempts.addLast(now);
        return Optional.empty();
    }

    public synchronized void failed(String client) {
        Instant now = clock.instant();
        if (failures.size() >= MAX_TRACKED_CLIENTS) {
            failures.values().forEach(d -> prune(d, now));
            failures.values().removeIf(Deque::isEmpty);
        }
        if (failures.size() < MAX_TRACKED_CLIENTS || failures.containsKey(client)) {
            failures.computeIfAbsent(client, c -> new ArrayDeque<>()).addLast(now);
        }
    }

    public synchronized void succeeded(String client) {
        failures.remove(client);
    }

    private void prune(Deque<Instant> times, Instant now) {
        Instant cutoff = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
            times.removeFirst();
        }
    }

    private Duration waitUntil(Instant oldest, Instant now) {
        long seconds = Duration.between(now, oldest.plus(window)).toMillis();
        return Duration.ofSeconds(Math.max(1, (seconds + 999) / 1000));
    }
}
