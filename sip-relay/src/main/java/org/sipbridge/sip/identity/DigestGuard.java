package org.sipbridge.sip.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Stops password guessing from a LAN device at the bridge. Every guess would reach the PBX from the
 * bridge's one VPN address, so a PBX-side ban (fail2ban) would cut off the real phone with the
 * guesser; instead, after {@link #ALLOWED_FAILURES} refused credentials in a row from one address,
 * the bridge itself refuses that address's requests that carry credentials, for a block that
 * starts at one minute and doubles with each further block up to an hour. Accepted credentials
 * clear the address. Thread-safe; bounded.
 */
public final class DigestGuard {

    public static final int ALLOWED_FAILURES = 5;
    static final Duration FIRST_BLOCK = Duration.ofMinutes(1);
    static final Duration LONGEST_BLOCK = Duration.ofHours(1);
    /** How long a record of failures is kept after its last failure or block. */
    private static final Duration MEMORY = Duration.ofHours(2);

    private static final int MAX_TRACKED = 1024;

    private static final class FailureRecord {
        int failures;
        int blocks;
        Instant blockedUntil = Instant.MIN;
        Instant lastSeen;
    }

    private final Clock clock;
    private final Map<String, FailureRecord> byAddress = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FailureRecord> eldest) {
            return size() > MAX_TRACKED;
        }
    };
    private final LongAdder refusedAttempts = new LongAdder();

    public DigestGuard(Clock clock) {
        this.clock = clock;
    }

    /** True when a request with credentials from {@code ip} may go to the PBX; counts those that may not. */
    public synchronized boolean mayTry(String ip) {
        FailureRecord record = byAddress.get(ip);
        if (record != null && clock.instant().isBefore(record.blockedUntil)) {
            refusedAttempts.increment();
            return false;
        }
        return true;
    }

    /**
     * Records what the PBX said of credentials from {@code ip}. Returns the length of the block this
     * outcome started, if it started one (for the log).
     */
    public synchronized Duration record(String ip, CredentialOutcome outcome) {
        Instant now = clock.instant();
        if (outcome == CredentialOutcome.ACCEPTED) {
            byAddress.remove(ip);
            return Duration.ZERO;
        }
        if (outcome != CredentialOutcome.REFUSED) {
            return Duration.ZERO;
        }
        FailureRecord record = byAddress.get(ip);
        if (record == null || Duration.between(record.lastSeen, now).compareTo(MEMORY) > 0) {
            record = new FailureRecord();
            byAddress.put(ip, record);
        }
        record.lastSeen = now;
        if (++record.failures < ALLOWED_FAILURES) {
            return Duration.ZERO;
        }
        Duration block = FIRST_BLOCK.multipliedBy(1L << Math.min(record.blocks, 6));
        block = block.compareTo(LONGEST_BLOCK) > 0 ? LONGEST_BLOCK : block;
        record.blocks++;
        record.failures = 0;
        record.blockedUntil = now.plus(block);
        return block;
    }

    /** Addresses blocked right now, for the status page. */
    public synchronized List<String> blocked() {
        Instant now = clock.instant();
        List<String> list = new ArrayList<>();
        byAddress.forEach((ip, r) -> {
            if (now.isBefore(r.blockedUntil)) {
                list.add(ip);
            }
        });
        return list;
    }

    /** Requests with credentials refused because their address was blocked. */
    public long refusedAttempts() {
        return refusedAttempts.sum();
    }
}
