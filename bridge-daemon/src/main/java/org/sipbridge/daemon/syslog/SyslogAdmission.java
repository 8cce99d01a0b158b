package org.sipbridge.daemon.syslog;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.sipbridge.contract.network.Ipv4Subnet;

/**
 * Which syslog datagrams are written at all: only from the LAN subnet (Linux delivers a datagram for
 * the LAN address that arrives on any interface, so the bind address alone does not stop a VPN host),
 * at most {@value #MAX_DATAGRAM} bytes (RFC 5424 §6.1: receivers should take 2048), and at most a
 * burst of {@value #BURST_PER_SENDER} then {@value #PER_SENDER_PER_SECOND} a second per sender, and
 * {@value #TOTAL_PER_SECOND} a second from everyone (a phone sends a few lines a second, more while
 * booting). What is refused is counted per reason. Used by the receiver's one thread only.
 */
final class SyslogAdmission {

    static final int MAX_DATAGRAM = 2048;
    static final int BURST_PER_SENDER = 100;
    static final int PER_SENDER_PER_SECOND = 10;
    static final int TOTAL_BURST = 400;
    static final int TOTAL_PER_SECOND = 50;
    /** Senders remembered at once; past this all buckets start afresh, but the total bucket still holds. */
    static final int MAX_SENDERS = 1024;

    enum Verdict {
        ACCEPTED,
        OUTSIDE_LAN,
        TOO_LARGE,
        RATE_LIMITED
    }

    private final Ipv4Subnet lan;
    private final LongSupplier nanoClock;
    private final Map<Integer, TokenBucket> senders = new HashMap<>();
    private final TokenBucket total;
    private final Map<Verdict, AtomicLong> dropped = new EnumMap<>(Verdict.class);

    SyslogAdmission(Ipv4Subnet lan, LongSupplier nanoClock) {
        this.lan = lan;
        this.nanoClock = nanoClock;
        this.total = new TokenBucket(TOTAL_BURST, TOTAL_PER_SECOND, nanoClock.getAsLong());
        for (Verdict verdict : Verdict.values()) {
            if (verdict != Verdict.ACCEPTED) {
                dropped.put(verdict, new AtomicLong());
            }
        }
    }

    Verdict admit(int sender, int length) {
        Verdict verdict = decide(sender, length);
        if (verdict != Verdict.ACCEPTED) {
            dropped.get(verdict).incrementAndGet();
        }
        return verdict;
    }

    private Verdict decide(int sender, int length) {
        if (!lan.contains(sender)) {
            return Verdict.OUTSIDE_LAN;
        }
        if (length > MAX_DATAGRAM) {
            return Verdict.TOO_LARGE;
        }
        long now = nanoClock.getAsLong();
        if (senders.size() >= MAX_SENDERS && !senders.containsKey(sender)) {
            senders.clear();
        }
        TokenBucket own =
                senders.computeIfAbsent(sender, s -> new TokenBucket(BURST_PER_SENDER, PER_SENDER_PER_SECOND, now));
        // The sender's own allowance first: a flooding sender must not spend everyone's total.
        return own.take(now) && total.take(now) ? Verdict.ACCEPTED : Verdict.RATE_LIMITED;
    }

    /** Datagrams refused for {@code reason} so far (any thread may read). */
    long dropped(Verdict reason) {
        return reason == Verdict.ACCEPTED ? 0 : dropped.get(reason).get();
    }

    /** Tokens refill continuously at {@code perSecond}, up to {@code burst}. */
    private static final class TokenBucket {
        private final int burst;
        private final double perNano;
        private double tokens;
        private long last;

        TokenBucket(int burst, int perSecond, long now) {
            this.burst = burst;
            this.perNano = perSecond / 1e9;
            this.tokens = burst;
            this.last = now;
        }

        boolean take(long now) {
            tokens = Math.min(burst, tokens + Math.max(0, now - last) * perNano);
            last = now;
            if (tokens >= 1) {
                tokens--;
                return true;
            }
            return false;
        }
    }
}
