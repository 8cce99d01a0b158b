package org.sipbridge.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sipbridge.config.MediaSettings;
import org.sipbridge.contract.media.MediaNotAcceptableException;
import org.sipbridge.contract.media.MediaSession;
import org.sipbridge.contract.media.MediaUnavailableException;
import org.sipbridge.contract.network.Ipv4Subnet;

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
        RtpRelayService relay = new RtpRelayService(
                Ipv4Subnet.parse("127.0.0.1/8"), Ipv4Subnet.parse("127.0.0.2/8"), RtpRelayServiceTest::settings);
        assertEquals("rtp-relay", relay.name());
        assertThrows(MediaUnavailableException.class, () -> relay.allocate("too early"));
        relay.start();
        relay.start(); // idempotent
        try {
            MediaSession session = relay.allocate("daemon");
            assertEquals("daemon", session.callId());
            session.fromLan(RelayContractTest.offer("127.0.0.3", 5000, 5001, 1, ""));
            MediaNotAcceptableException toBridge = assertThrows(
                    MediaNotAcceptableException.class,
                    () -> session.fromVpn(RelayContractTest.offer("127.0.0.2", 6000, 6001, 1, "")));
            assertTrue(toBridge.getMessage().contains("a loopback address"), toBridge.getMessage());
            MediaNotAcceptableException ownLan = assertThrows(
                    MediaNotAcceptableException.class,
                    () -> session.fromLan(RelayContractTest.offer("127.0.0.1", 5000, 5001, 2, "")));
            assertTrue(ownLan.getMessage().contains("an address of the bridge itself"), ownLan.getMessage());
            assertEquals(relay.backend(), org.sipbridge.io.IoBackend.best());
            assertEquals(1, relay.counters().active());
        } finally {
            relay.stop();
            relay.stop();
        }
        assertEquals(0, relay.counters().active());
    }

    /**
     * The daemon samples call quality on the relay's own event loop (no thread of its own, no waiting on the
     * loop from another thread): the task runs there, repeatedly, even after one run failed, and sees the
     * sessions' snapshots taken in place.
     */
    @Test
    void aPeriodicTaskRunsOnTheRelaysEventLoopAndSurvivesAFailure() throws Exception {
        java.util.concurrent.CountDownLatch runs = new java.util.concurrent.CountDownLatch(3);
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger sessionsSeen = new java.util.concurrent.atomic.AtomicInteger(-1);
        RtpRelayService[] self = new RtpRelayService[1];
        RtpRelayService relay = new RtpRelayService(
                        Ipv4Subnet.parse("127.0.0.1/8"), Ipv4Subnet.parse("127.0.0.2/8"), RtpRelayServiceTest::settings)
                .onLoopEvery(Duration.ofMillis(10), () -> {
                    threads.add(Thread.currentThread().getName());
                    sessionsSeen.set(self[0].allSessions().size());
                    runs.countDown();
                    if (runs.getCount() == 2) {
                        throw new IllegalStateException("a failing sample");
                    }
                });
        self[0] = relay;
        relay.start();
        try {
            relay.allocate("sampled");
            assertTrue(runs.await(10, java.util.concurrent.TimeUnit.SECONDS), "ran again after the failure");
        } finally {
            relay.stop();
        }
        assertEquals(1, threads.size(), threads.toString());
        assertTrue(threads.iterator().next().startsWith("rtp-relay"), threads.toString());
        assertTrue(sessionsSeen.get() >= 0);
        assertThrows(IllegalArgumentException.class, () -> relay.onLoopEvery(Duration.ZERO, () -> {}));
    }

    /**
     * Two phones behind the bridge calling each other through a PBX that passes SDP through (#16): the PBX
     * offers the callee's session the caller's relay port on the bridge's own VPN address. That port is
     * accepted, since one of the bridge's live relay streams listens there; any other port of the bridge's
     * own address is still refused (and the first call's own ports too, once it has ended).
     */
    @Test
    void aPbxMayHairpinACallBetweenTwoPhonesToTheCallersRelayPort() throws Exception {
        RtpRelayService relay = new RtpRelayService(
                Ipv4Subnet.parse("127.0.0.1/8"), Ipv4Subnet.parse("127.0.0.2/8"), RtpRelayServiceTest::settings);
        relay.start();
        try {
            MediaSession caller = relay.allocate("phone A");
            String toPbx = caller.fromLan(RelayContractTest.offer("127.0.0.3", 5000, 5001, 1, ""));
            MediaSession callee = relay.allocate("phone B");
            String toPhoneB = callee.fromVpn(toPbx);
            assertTrue(toPhoneB.contains("c=IN IP4 127.0.0.1\r\n"), toPhoneB);
            String answerToPbx = callee.fromLan(RelayContractTest.offer("127.0.0.4", 5002, 5003, 1, ""));
            assertTrue(caller.fromVpn(answerToPbx).contains("c=IN IP4 127.0.0.1\r\n"), "the answer hairpins back");

            MediaSession other = relay.allocate("elsewhere");
            MediaNotAcceptableException notARelayPort = assertThrows(
                    MediaNotAcceptableException.class,
                    () -> other.fromVpn(RelayContractTest.offer("127.0.0.2", 8080, 8081, 1, "")));
            assertTrue(notARelayPort.getMessage().contains("127.0.0.2"), notARelayPort.getMessage());
            caller.release();
            MediaSession late = relay.allocate("late");
            assertThrows(MediaNotAcceptableException.class, () -> late.fromVpn(toPbx));
        } finally {
            relay.stop();
        }
    }

    /**
     * The event loop threads exist from start, not from the first session that lands on each loop: a
     * thread count taken after some calls (the fuzz campaign's leak check) then means what it says.
     */
    @Test
    void everyEventLoopThreadRunsFromStart() {
        RtpRelayService relay = new RtpRelayService(
                Ipv4Subnet.parse("127.0.0.1/8"), Ipv4Subnet.parse("127.0.0.2/8"), RtpRelayServiceTest::settings);
        relay.start();
        try {
            long expected = RtpRelayService.EVENT_LOOP_THREADS;
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
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("rtp-relay-"))
                .count();
    }

    @Test
    void adapterAddressesMustBeSpecificIpv4() {
        Ipv4Subnet lan = Ipv4Subnet.parse("127.0.0.1/8");
        assertThrows(
                IllegalArgumentException.class,
                () -> new RtpRelayService(Ipv4Subnet.parse("0.0.0.0/0"), lan, RtpRelayServiceTest::settings));
        assertThrows(
                IllegalArgumentException.class,
                () -> new RtpRelayService(lan, lan, RtpRelayServiceTest::settings, Duration.ZERO));
    }

    @Test
    void reasonsAreEmptyWhileHealthy() throws Exception {
        RtpRelayService relay = new RtpRelayService(
                Ipv4Subnet.parse("127.0.0.1/8"), Ipv4Subnet.parse("127.0.0.1/8"), RtpRelayServiceTest::settings);
        relay.start();
        try {
            assertTrue(relay.reasons().isEmpty());
            assertEquals(50, relay.counters().freePortPairs());
        } finally {
            relay.stop();
        }
    }
}
