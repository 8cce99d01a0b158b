package org.sipbridge.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sipbridge.config.MediaSettings;
import org.sipbridge.config.media.MediaNotAcceptableException;
import org.sipbridge.config.media.MediaSession;
import org.sipbridge.config.media.MediaUnavailableException;
import org.sipbridge.config.network.Ipv4Subnet;

/** The service as the daemon builds it: public constructor, best transport, no tap. */
@ExtendWith(LeakCheck.class)
class RtpRelayServiceTest {

    private static MediaSettings settings() {
        return RelayContractTest.settings("41400-41499", true, 46, true, 46);
    }

    /**
     * The daemon's constructor applies the address policy: on loopback the phone (127.0.0.3, inside the LAN
     * subnet 127.0.0.0/8) is accepted and relayed to once the PBX side is set up through a permissive relay
     * below; a PBX that points media at loopback (here the bridge's own VPN address) is refused with 488.
     */
    @Test
    void theDaemonsConstructorRefusesMediaAimedAtLoopbackOrTheBridge() throws Exception {
        RtpRelayService relay = new RtpRelayService(Ipv4Subnet.parse("127.0.0.1/8"), Ipv4Subnet.parse("127.0.0.2/8"),
                RtpRelayServiceTest::settings);
        assertEquals("rtp-relay", relay.name());
        assertThrows(MediaUnavailableException.class, () -> relay.allocate("too early"));
        relay.start();
        relay.start(); // idempotent
        try {
            MediaSession session = relay.allocate("daemon");
            assertEquals("daemon", session.callId());
            session.fromLan(RelayContractTest.offer("127.0.0.3", 5000, 5001, 1, ""));
            MediaNotAcceptableException toBridge = assertThrows(MediaNotAcceptableException.class,
                    () -> session.fromVpn(RelayContractTest.offer("127.0.0.2", 6000, 6001, 1, "")));
            assertTrue(toBridge.getMessage().contains("a loopback address"), toBridge.getMessage());
            MediaNotAcceptableException ownLan = assertThrows(MediaNotAcceptableException.class,
                    () -> session.fromLan(RelayContractTest.offer("127.0.0.1", 5000, 5001, 2, "")));
            assertTrue(ownLan.getMessage().contains("an address of the bridge itself"), ownLan.getMessage());
            assertEquals(relay.transport(), org.sipbridge.rtp.relay.Transport.best());
            assertEquals(1, relay.counters().active());
        } finally {
            relay.stop();
            relay.stop();
        }
        assertEquals(0, relay.counters().active());
    }

    /**
     * The event loop threads exist from start, not from the first session that lands on each loop: a
     * thread count taken after some calls (the fuzz campaign's leak check) then means what it says.
     */
    @Test
    void everyEventLoopThreadRunsFromStart() {
        RtpRelayService relay = new RtpRelayService(Ipv4Subnet.parse("127.0.0.1/8"), Ipv4Subnet.parse("127.0.0.2/8"),
                RtpRelayServiceTest::settings);
        relay.start();
        try {
            long expected = Math.min(2, Runtime.getRuntime().availableProcessors());
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (relayThreads() < expected && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(expected, relayThreads());
        } finally {
            relay.stop();
        }
    }

    private static long relayThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("rtp-relay-")).count();
    }

    @Test
    void adapterAddressesMustBeSpecificIpv4() {
        Ipv4Subnet lan = Ipv4Subnet.parse("127.0.0.1/8");
        assertThrows(IllegalArgumentException.class,
                () -> new RtpRelayService(Ipv4Subnet.parse("0.0.0.0/0"), lan, RtpRelayServiceTest::settings));
        assertThrows(IllegalArgumentException.class,
                () -> new RtpRelayService(lan, lan, RtpRelayServiceTest::settings, Duration.ZERO));
    }

    @Test
    void reasonsAreEmptyWhileHealthy() throws Exception {
        RtpRelayService relay = new RtpRelayService(Ipv4Subnet.parse("127.0.0.1/8"), Ipv4Subnet.parse("127.0.0.1/8"),
                RtpRelayServiceTest::settings);
        relay.start();
        try {
            assertTrue(relay.reasons().isEmpty());
            assertEquals(50, relay.counters().freePortPairs());
        } finally {
            relay.stop();
        }
    }
}
