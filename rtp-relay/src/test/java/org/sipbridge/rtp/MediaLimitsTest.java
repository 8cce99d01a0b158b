package org.sipbridge.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sipbridge.config.CaptureCipherSuite;
import org.sipbridge.config.MediaSettings;
import org.sipbridge.contract.media.MediaNotAcceptableException;
import org.sipbridge.contract.media.MediaSession;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.io.IoBackend;
import org.sipbridge.rtp.relay.PacketTap;
import org.sipbridge.rtp.sdp.AnnouncedStream;
import org.sipbridge.rtp.sdp.SdpParser;

/**
 * Issue #14 attacks on the relay's resources, on loopback: one INVITE with 16 m-lines used to take 32 of
 * 100 port pairs; held or inactive streams never timed out; a timed-out session did not tell the SIP relay.
 * No timing assertions: waits are for events, with generous deadlines.
 */
@ExtendWith(LeakCheck.class)
class MediaLimitsTest {

    private static final String LAN = RelayContractTest.LAN;
    private static final String VPN = RelayContractTest.VPN;

    private final AtomicReference<MediaSettings> settings = new AtomicReference<>(settings(4, 7200));
    private RtpRelayService relay;

    private static MediaSettings settings(int maxStreams, int holdTimeoutSec) {
        // 100 ports = 50 pairs = 25 streams; holdTimeoutSec below the validated 60 only to keep the test short
        return new MediaSettings(
                true,
                46,
                true,
                46,
                "41600-41699",
                false,
                CaptureCipherSuite.NULL_NULL,
                maxStreams,
                holdTimeoutSec,
                true);
    }

    private RtpRelayService start(Duration inactivity) {
        relay = new RtpRelayService(
                Ipv4Subnet.parse(LAN + "/8"),
                Ipv4Subnet.parse(VPN + "/8"),
                settings::get,
                inactivity,
                PacketTap.Factory.NONE,
                IoBackend.NIO,
                (sdp, fromLan) -> {});
        relay.start();
        return relay;
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.stop();
        }
    }

    static String streams(String address, int count, String direction) {
        StringBuilder sdp = new StringBuilder(
                "v=0\r\no=- 1 1 IN IP4 " + address + "\r\ns=-\r\nc=IN IP4 " + address + "\r\nt=0 0\r\n");
        for (int i = 0; i < count; i++) {
            sdp.append("m=audio ").append(5000 + 2 * i).append(" RTP/AVP 0\r\n").append(direction);
        }
        return sdp.toString();
    }

    @Test
    void anOfferWithMoreStreamsThanTheCapIsRefusedBeforeItTakesAPort() throws Exception {
        start(Duration.ofSeconds(60));
        int free = relay.counters().freePortPairs();
        MediaSession hoarder = relay.allocate("hoarder");
        MediaNotAcceptableException e =
                assertThrows(MediaNotAcceptableException.class, () -> hoarder.fromLan(streams(LAN, 16, "")));
        assertTrue(
                e.getMessage().contains("16 m= lines") && e.getMessage().contains("media.maxStreamsPerCall (4)"),
                e.getMessage());
        assertEquals(free - 2, relay.counters().freePortPairs(), "only the first stream's pairs, from allocate");
        assertThrows(
                MediaNotAcceptableException.class,
                () -> hoarder.fromVpn(streams(VPN, 5, "")),
                "the PBX side is capped too");

        List<AnnouncedStream> four = AnnouncedStream.of(SdpParser.parse(hoarder.fromLan(streams(LAN, 4, ""))));
        assertEquals(4, four.size(), "up to the cap is relayed");
        assertEquals(free - 8, relay.counters().freePortPairs());
        hoarder.release();

        // three hoarding INVITEs used to leave the phone with "503 No media ports available"
        for (int i = 0; i < 3; i++) {
            MediaSession attacker = relay.allocate("attack-" + i);
            assertThrows(MediaNotAcceptableException.class, () -> attacker.fromLan(streams(LAN, 16, "")));
        }
        MediaSession phone = relay.allocate("the real phone");
        phone.fromLan(streams(LAN, 2, ""));
        phone.release();
    }

    @Test
    void theCapIsReadWhenTheCallStarts() throws Exception {
        settings.set(settings(1, 7200));
        start(Duration.ofSeconds(60));
        MediaSession one = relay.allocate("one stream only");
        assertThrows(MediaNotAcceptableException.class, () -> one.fromLan(streams(LAN, 2, "")));
        one.fromLan(streams(LAN, 1, ""));
        one.release();
    }

    @Test
    void aHeldCallIsEndedAfterTheHoldTimeoutAndTheSipRelayIsToldOnce() throws Exception {
        settings.set(settings(4, 1));
        start(Duration.ofSeconds(60));
        MediaSession held = relay.allocate("held");
        List<String> told = new CopyOnWriteArrayList<>();
        held.onTimeout(told::add);
        held.fromLan(streams(LAN, 1, "a=inactive\r\n"));
        InetSocketAddress bridgeRtp = AnnouncedStream.of(
                        SdpParser.parse(held.fromVpn(streams(VPN, 1, "a=inactive\r\n"))))
                .get(0)
                .rtp();
        RelayContractTest.await("hold timeout", () -> relay.counters().timedOut() == 1);
        RelayContractTest.await("the SIP relay told", () -> !told.isEmpty());
        assertEquals(1, told.size());
        assertTrue(told.get(0).contains("media.holdTimeoutSec"), told.get(0));
        assertEquals(EndReason.HOLD_TIMEOUT, relay.endedSessions().get(0).endReason());
        assertEquals(List.of(), relay.sessions());
        RelayContractTest.await("ports given back", () -> RelayContractTest.canBind(bridgeRtp));
        held.release();
        held.onTimeout(told::add);
        assertEquals(1, told.size(), "once");
    }

    @Test
    void anUnansweredSessionIsBoundedByTheHoldTimeoutToo() throws Exception {
        settings.set(settings(4, 1));
        start(Duration.ofSeconds(60));
        MediaSession ringing = relay.allocate("never answered");
        ringing.fromLan(streams(LAN, 1, ""));
        RelayContractTest.await("hold timeout", () -> relay.counters().timedOut() == 1);
        assertEquals(EndReason.HOLD_TIMEOUT, relay.endedSessions().get(0).endReason());
        List<String> told = new CopyOnWriteArrayList<>();
        ringing.onTimeout(told::add);
        assertEquals(1, told.size(), "a handler registered after the timeout still hears of it");
    }

    @Test
    void silenceInATwoWayCallEndsItAndTellsTheSipRelay() throws Exception {
        start(Duration.ofMillis(200));
        MediaSession call = relay.allocate("silent");
        List<String> told = new CopyOnWriteArrayList<>();
        call.onTimeout(told::add);
        call.fromLan(streams(LAN, 1, ""));
        call.fromVpn(streams(VPN, 1, ""));
        RelayContractTest.await("inactivity", () -> !told.isEmpty());
        assertTrue(told.get(0).startsWith("no RTP or RTCP in either direction"), told.get(0));
        assertEquals(EndReason.INACTIVITY, relay.endedSessions().get(0).endReason());
        assertEquals(1, relay.counters().timedOut());
    }

    @Test
    void aReleasedSessionNeverCallsTheTimeoutHandler() throws Exception {
        settings.set(settings(4, 1));
        start(Duration.ofMillis(200));
        MediaSession call = relay.allocate("hung up");
        List<String> told = new CopyOnWriteArrayList<>();
        call.onTimeout(told::add);
        call.release();
        MediaSession other = relay.allocate("later");
        List<String> otherTold = new CopyOnWriteArrayList<>();
        other.onTimeout(otherTold::add);
        RelayContractTest.await("a later session times out", () -> !otherTold.isEmpty());
        assertEquals(List.of(), told, "the SIP relay ended that call itself");
    }
}
