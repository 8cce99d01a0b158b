package org.sipbridge.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sipbridge.dhcp.codec.DhcpMessage;
import org.sipbridge.dhcp.codec.GoldenPackets;
import org.sipbridge.dhcp.reply.IgnoreReason;
import org.sipbridge.dhcp.reply.ReplyDecision;

class ResponderCountersTest {

    private static final Instant NOW = Instant.parse("2026-11-22T08:00:00Z");

    private final ResponderCounters counters = new ResponderCounters(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void startsAtZeroWithEveryReasonListed() {
        DhcpStats stats = counters.snapshot();

        assertEquals(0, stats.informsSeen());
        assertEquals(IgnoreReason.values().length, stats.ignored().size());
        assertEquals(0, stats.ignoredTotal());
        assertEquals(Optional.empty(), stats.lastPhone());
    }

    @Test
    void countsEachOutcomeWhereItBelongs() {
        DhcpMessage inform = GoldenPackets.decoded(GoldenPackets.INFORM);
        DhcpMessage discover = GoldenPackets.decoded(GoldenPackets.DISCOVER);

        counters.record(new Outcome.Malformed("bad magic cookie 0.0.0.0 (expected 99.130.83.99)"));
        counters.record(new Outcome.Handled(discover, new ReplyDecision.Ignored(IgnoreReason.NOT_INFORM)));
        counters.record(new Outcome.Handled(discover, new ReplyDecision.Ignored(IgnoreReason.NOT_INFORM)));
        counters.record(new Outcome.Handled(inform, new ReplyDecision.Ignored(IgnoreReason.OUTSIDE_LAN_SUBNET)));
        counters.record(
                new Outcome.Handled(inform, new ReplyDecision.Reply(inform, new InetSocketAddress("198.18.1.10", 68))));
        counters.sendFailed();

        DhcpStats stats = counters.snapshot();
        assertEquals(1, stats.malformed());
        assertEquals(2, stats.informsSeen());
        assertEquals(1, stats.answered());
        assertEquals(2, stats.ignored(IgnoreReason.NOT_INFORM));
        assertEquals(1, stats.ignored(IgnoreReason.OUTSIDE_LAN_SUBNET));
        assertEquals(3, stats.ignoredTotal());
        assertEquals(1, stats.sendFailures());
    }

    @Test
    void tellsTheListenerOfEveryInformAndOfNothingElse() {
        DhcpMessage inform = GoldenPackets.decoded(GoldenPackets.INFORM);
        DhcpMessage discover = GoldenPackets.decoded(GoldenPackets.DISCOVER);
        java.util.List<PhoneSighting> heard = new java.util.ArrayList<>();
        counters.tellSightingsTo(heard::add);

        counters.record(new Outcome.Handled(discover, new ReplyDecision.Ignored(IgnoreReason.NOT_INFORM)));
        counters.record(
                new Outcome.Handled(inform, new ReplyDecision.Reply(inform, new InetSocketAddress("198.18.1.10", 68))));

        assertEquals(1, heard.size());
        assertEquals(counters.snapshot().lastPhone().orElseThrow(), heard.get(0));
        assertEquals(NOW, heard.get(0).seenAt());
    }

    @Test
    void remembersTheLastPhoneThatAsked() {
        DhcpMessage inform = GoldenPackets.decoded(GoldenPackets.INFORM);

        counters.record(new Outcome.Handled(inform, new ReplyDecision.Ignored(IgnoreReason.MAC_NOT_ALLOWED)));

        PhoneSighting phone = counters.snapshot().lastPhone().orElseThrow();
        assertEquals("00:04:f2:12:34:56", phone.mac());
        assertEquals("198.18.1.10", phone.clientAddress());
        assertEquals("Polycom-VVX450", phone.vendorClass());
        assertEquals(NOW, phone.seenAt());
        assertFalse(phone.answered());
        assertEquals(Optional.of(IgnoreReason.MAC_NOT_ALLOWED), phone.ignoredBecause());
    }

    @Test
    void aDiscoverIsNoPhoneSighting() {
        counters.record(new Outcome.Handled(
                GoldenPackets.decoded(GoldenPackets.DISCOVER), new ReplyDecision.Ignored(IgnoreReason.NOT_INFORM)));

        assertTrue(counters.snapshot().lastPhone().isEmpty());
        assertEquals(0, counters.snapshot().informsSeen());
    }
}
