package org.sipbridge.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sipbridge.config.MediaSettings;
import org.sipbridge.config.media.MediaSession;
import org.sipbridge.config.media.MediaUnavailableException;
import org.sipbridge.rtp.quality.RtcpPackets;
import org.sipbridge.rtp.sdp.AnnouncedStream;
import org.sipbridge.rtp.sdp.SdpParser;

/** The service as the daemon builds it: public constructor, best transport, no tap. */
@ExtendWith(LeakCheck.class)
class RtpRelayServiceTest {

    private static MediaSettings settings() {
        return RelayContractTest.settings("41400-41499", true, 46, true, 46);
    }

    @Test
    void theDaemonsConstructorRelaysACall() throws Exception {
        RtpRelayService relay = new RtpRelayService(InetAddress.getByName("127.0.0.1"),
                InetAddress.getByName("127.0.0.2"), RtpRelayServiceTest::settings);
        assertEquals("rtp-relay", relay.name());
        assertThrows(MediaUnavailableException.class, () -> relay.allocate("too early"));
        relay.start();
        relay.start(); // idempotent
        try (Peer phone = new Peer("127.0.0.1"); Peer pbx = new Peer("127.0.0.2")) {
            MediaSession session = relay.allocate("daemon");
            assertEquals("daemon", session.callId());
            session.fromLan(RelayContractTest.offer("127.0.0.1", phone.port(), phone.port() + 1, 1, ""));
            AnnouncedStream bridge = AnnouncedStream.of(SdpParser.parse(
                    session.fromVpn(RelayContractTest.offer("127.0.0.2", pbx.port(), pbx.port() + 1, 1, "")))).get(0);
            byte[] voice = RtcpPackets.rtp(8, 1, 160, 5, 160);
            phone.send(voice, bridge.rtp());
            assertArrayEquals(voice, pbx.receive().data());
            assertEquals(relay.transport(), org.sipbridge.rtp.relay.Transport.best());
            assertEquals(1, relay.counters().active());
        } finally {
            relay.stop();
            relay.stop();
        }
        assertEquals(0, relay.counters().active());
    }

    @Test
    void adapterAddressesMustBeSpecificIpv4() throws Exception {
        InetAddress lan = InetAddress.getByName("127.0.0.1");
        assertThrows(IllegalArgumentException.class,
                () -> new RtpRelayService(lan, InetAddress.getByName("::1"), RtpRelayServiceTest::settings));
        assertThrows(IllegalArgumentException.class,
                () -> new RtpRelayService(InetAddress.getByName("0.0.0.0"), lan, RtpRelayServiceTest::settings));
        assertThrows(IllegalArgumentException.class,
                () -> new RtpRelayService(lan, lan, RtpRelayServiceTest::settings, Duration.ZERO));
    }

    @Test
    void reasonsAreEmptyWhileHealthy() throws Exception {
        RtpRelayService relay = new RtpRelayService(InetAddress.getByName("127.0.0.1"),
                InetAddress.getByName("127.0.0.1"), RtpRelayServiceTest::settings);
        relay.start();
        try {
            assertTrue(relay.reasons().isEmpty());
            assertEquals(50, relay.counters().freePortPairs());
        } finally {
            relay.stop();
        }
    }
}
