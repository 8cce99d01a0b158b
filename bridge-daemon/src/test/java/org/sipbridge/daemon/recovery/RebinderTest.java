package org.sipbridge.daemon.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RebinderTest {

    private static final AdapterWatcher.Seen LAN = new AdapterWatcher.Seen("LAN", "eth0", "eth0", "198.18.1.1", "");
    private static final AdapterWatcher.Seen VPN = new AdapterWatcher.Seen("VPN", "tun0", "tun0", "198.19.8.2", "");
    private static final AdapterWatcher.Seen VPN_GONE =
            new AdapterWatcher.Seen("VPN", "tun0", "", "", "no adapter named tun0");
    private static final AdapterWatcher.Seen VPN_NEW = new AdapterWatcher.Seen("VPN", "tun0", "tun0", "198.19.8.3", "");
    private static final AdapterWatcher.Observed UP = new AdapterWatcher.Observed(LAN, VPN);
    private static final AdapterWatcher.Observed DOWN = new AdapterWatcher.Observed(LAN, VPN_GONE);
    private static final AdapterWatcher.Observed READDRESSED = new AdapterWatcher.Observed(LAN, VPN_NEW);

    private final List<Set<String>> restarts = new ArrayList<>();
    private final RecentEvents events = new RecentEvents(Clock.systemUTC());
    private final Rebinder rebinder = new Rebinder(
            Set.of("sip-relay", "rtp-relay"),
            names -> {
                restarts.add(names);
                return List.of();
            },
            events);

    private String latestEvent() {
        return events.list().get(0).message();
    }

    @Test
    void aVpnThatDropsAndComesBackWithTheSameAddressKeepsTheListenersAndCalls() {
        rebinder.changed(UP, DOWN);
        assertEquals(List.of(), restarts, "a drop alone must not restart the services (that ends every call)");
        assertTrue(
                latestEvent().contains("went down")
                        && latestEvent().contains("waiting for it")
                        && latestEvent().contains("new calls get 503"),
                latestEvent());

        rebinder.changed(DOWN, UP);
        assertEquals(List.of(), restarts);
        assertEquals(
                "VPN adapter tun0 came back with 198.19.8.2; same address as before, listeners and calls in progress kept",
                latestEvent());
    }

    @Test
    void aVpnThatComesBackWithAnotherAddressIsRebound() {
        rebinder.changed(UP, DOWN);
        rebinder.changed(DOWN, READDRESSED);
        assertEquals(List.of(Set.of("sip-relay", "rtp-relay")), restarts);
        assertEquals(
                "VPN adapter tun0 came back with 198.19.8.3; listeners rebound (calls in progress were lost)",
                latestEvent());

        // The services now hold the new address: a drop and return to it is kept as well.
        rebinder.changed(READDRESSED, DOWN);
        rebinder.changed(DOWN, READDRESSED);
        assertEquals(1, restarts.size());
    }

    @Test
    void servicesStartedWithoutTheVpnAreRestartedWhenItArrives() {
        rebinder.changed(DOWN, UP);
        assertEquals(1, restarts.size());
        assertEquals("VPN adapter tun0 came back with 198.19.8.2; listeners rebound", latestEvent());
    }

    @Test
    void aNewAddressWithoutADropIsRebound() {
        rebinder.changed(UP, READDRESSED);
        assertEquals(1, restarts.size());
        assertTrue(Rebinder.keepsBindings(UP, DOWN));
        assertTrue(Rebinder.keepsBindings(UP, UP));
        assertTrue(!Rebinder.keepsBindings(UP, READDRESSED) && !Rebinder.keepsBindings(DOWN, UP));
    }

    /** A mover that records where it moved, or fails with {@code failure}. */
    private static final class RecordingMover implements VpnMover {
        final List<String> moves = new ArrayList<>();
        final List<String> failure;

        RecordingMover(List<String> failure) {
            this.failure = failure;
        }

        @Override
        public Set<String> services() {
            return Set.of("sip-relay", "rtp-relay");
        }

        @Override
        public List<String> moveTo(AdapterWatcher.Seen vpn) {
            moves.add(vpn.address());
            return failure;
        }
    }

    @Test
    void aVpnThatComesBackWithAnotherAddressMovesTheRelaysAndKeepsTheCalls() {
        RecordingMover mover = new RecordingMover(List.of());
        Rebinder moving = new Rebinder(
                Set.of("sip-relay", "rtp-relay", "provisioning-proxy"),
                names -> {
                    restarts.add(names);
                    return List.of();
                },
                events,
                mover);
        moving.changed(UP, DOWN);
        moving.changed(DOWN, READDRESSED);
        assertEquals(List.of("198.19.8.3"), mover.moves);
        assertEquals(List.of(Set.of("provisioning-proxy")), restarts, "only the services without calls restart");
        assertEquals(
                "VPN adapter tun0 came back with 198.19.8.3; calls in progress kept: SIP and RTP moved to 198.19.8.3"
                        + " and each call's PBX leg re-INVITEd",
                latestEvent());

        // They now hold the new address: a drop and return to it is kept as it is.
        moving.changed(READDRESSED, DOWN);
        moving.changed(DOWN, READDRESSED);
        assertEquals(1, mover.moves.size());
    }

    @Test
    void relaysThatCannotMoveAreRestarted() {
        RecordingMover mover = new RecordingMover(List.of("SIP could not move: in use"));
        Rebinder moving = new Rebinder(
                Set.of("sip-relay", "rtp-relay"),
                names -> {
                    restarts.add(names);
                    return List.of();
                },
                events,
                mover);
        moving.changed(UP, READDRESSED);
        assertEquals(List.of(Set.of("sip-relay", "rtp-relay")), restarts);
        assertTrue(latestEvent().endsWith("listeners rebound (calls in progress were lost)"), latestEvent());
        assertTrue(Rebinder.onlyVpnAddressChanged(UP, READDRESSED));
        assertTrue(!Rebinder.onlyVpnAddressChanged(DOWN, READDRESSED)
                && !Rebinder.onlyVpnAddressChanged(UP, DOWN)
                && !Rebinder.onlyVpnAddressChanged(UP, UP));
    }
}
