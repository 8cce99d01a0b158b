package org.sipbridge.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DatagramChannel;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sipbridge.config.CaptureCipherSuite;
import org.sipbridge.config.MediaSettings;
import org.sipbridge.contract.media.MediaSession;
import org.sipbridge.contract.media.MediaUnavailableException;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.io.IoBackend;
import org.sipbridge.rtp.Peer.Received;
import org.sipbridge.rtp.quality.Direction;
import org.sipbridge.rtp.quality.DirectionSnapshot;
import org.sipbridge.rtp.quality.RtcpPackets;
import org.sipbridge.rtp.relay.PacketTap;
import org.sipbridge.rtp.relay.StreamRelay;
import org.sipbridge.rtp.relay.StreamSnapshot;
import org.sipbridge.rtp.sdp.AnnouncedStream;
import org.sipbridge.rtp.sdp.SdpParser;

/**
 * The relay end to end on loopback: the phone at 127.0.0.1, the PBX at 127.0.0.2, the bridge's LAN side
 * on 127.0.0.1 and its VPN side on 127.0.0.2 (Linux routes all of 127/8 to lo). Real sockets, real SDP.
 * Runs once per transport (see the subclasses). No timing assertions: waits are for events, with generous
 * deadlines, and "not relayed" is shown by ordering (a later legitimate packet arrives first).
 */
@ExtendWith(LeakCheck.class)
@SuppressWarnings("try") // a Call or squatter socket held open for the duration of a test is the point
abstract class RelayContractTest {

    static final String LAN = "127.0.0.1";
    static final String VPN = "127.0.0.2";
    static final String STRAY = "127.0.0.3";
    /** A second address of the PBX side (a multi-homed media server): the only one the test's learning bound allows. */
    static final String PBX_OTHER = "127.0.0.4";

    final AtomicReference<MediaSettings> settings = new AtomicReference<>(settings("41000-41199", true, 46, true, 46));
    final ConcurrentLinkedQueue<String> tapped = new ConcurrentLinkedQueue<>();
    RtpRelayService relay;

    abstract IoBackend backend();

    static MediaSettings settings(String range, boolean rtpTagging, int rtpDscp, boolean rtcpTagging, int rtcpDscp) {
        return settings(range, rtpTagging, rtpDscp, rtcpTagging, rtcpDscp, true);
    }

    static MediaSettings settings(
            String range,
            boolean rtpTagging,
            int rtpDscp,
            boolean rtcpTagging,
            int rtcpDscp,
            boolean vpnSourceLearning) {
        return new MediaSettings(
                rtpTagging,
                rtpDscp,
                rtcpTagging,
                rtcpDscp,
                range,
                false,
                CaptureCipherSuite.NULL_NULL,
                MediaSettings.DEFAULT_MAX_STREAMS_PER_CALL,
                MediaSettings.DEFAULT_HOLD_TIMEOUT_SEC,
                vpnSourceLearning);
    }

    RtpRelayService start(Duration inactivity) throws Exception {
        PacketTap tap = (point, sender, ingress, egress, destination, packet) ->
                tapped.add(point.direction() + (point.rtcpPort() ? " rtcp " : " rtp ") + sender + " -> " + destination
                        + " " + packet.readableBytes());
        // phone and bridge share 127.0.0.1 and PBX and bridge 127.0.0.2 here, which the address policy refuses
        // (MediaLimitsTest and AddressPolicyTest attack it); these tests are about the packet path
        relay = new RtpRelayService(
                        Ipv4Subnet.parse(LAN + "/8"),
                        Ipv4Subnet.parse(VPN + "/8"),
                        settings::get,
                        inactivity,
                        callId -> tap,
                        backend(),
                        (sdp, fromLan) -> {})
                .learningWithin(servers -> source -> source.getHostAddress().equals(PBX_OTHER));
        relay.start();
        return relay;
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.stop();
        }
    }

    static String offer(String address, int rtpPort, int rtcpPort, long version, String extra) {
        return "v=0\r\no=- 42 " + version + " IN IP4 " + address + "\r\ns=-\r\nc=IN IP4 " + address + "\r\nt=0 0\r\n"
                + "m=audio " + rtpPort
                + " RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
                + "a=rtcp:" + rtcpPort + "\r\n" + extra;
    }

    static AnnouncedStream bridge(String rewritten) throws MediaUnavailableException {
        return AnnouncedStream.of(SdpParser.parse(rewritten)).get(0);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /**
     * NIO closes a socket registered with a selector only when the selector next runs, so a port can stay
     * bound for a moment after release() returned; epoll frees it at once.
     */
    static boolean canBind(InetSocketAddress address) {
        try (DatagramSocket socket = new DatagramSocket(address)) {
            return socket.isBound();
        } catch (java.net.SocketException taken) {
            return false;
        }
    }

    SessionSnapshot only() {
        List<SessionSnapshot> sessions = relay.sessions();
        assertEquals(1, sessions.size());
        return sessions.get(0);
    }

    /** A call set up on the relay: phone and PBX sockets, and where each must send to reach the bridge. */
    final class Call implements AutoCloseable {
        final Peer phoneRtp = new Peer(LAN);
        final Peer phoneRtcp = new Peer(LAN);
        final Peer pbxRtp = new Peer(VPN);
        final Peer pbxRtcp = new Peer(VPN);
        final MediaSession session;
        AnnouncedStream bridgeForPhone;
        AnnouncedStream bridgeForPbx;
        String offerForPbx;

        Call(String callId, String extra) throws Exception {
            session = relay.allocate(callId);
            offerForPbx = session.fromLan(offer(LAN, phoneRtp.port(), phoneRtcp.port(), 1, extra));
            bridgeForPbx = bridge(offerForPbx);
            bridgeForPhone = bridge(session.fromVpn(offer(VPN, pbxRtp.port(), pbxRtcp.port(), 7, extra)));
        }

        /** The PBX sends RTP packet {@code seq}; the phone must receive it byte for byte. */
        void pbxReachesPhone(int seq, String why) throws Exception {
            byte[] packet = RtcpPackets.rtp(0, seq, seq * 160, 0x2222, 20);
            pbxRtp.send(packet, bridgeForPbx.rtp());
            assertArrayEquals(packet, phoneRtp.receive().data(), why);
        }

        @Override
        public void close() {
            phoneRtp.close();
            phoneRtcp.close();
            pbxRtp.close();
            pbxRtcp.close();
        }
    }

    @Test
    void relaysRtpAndRtcpBothWaysByteForByte() throws Exception {
        start(Duration.ofSeconds(60));
        try (Call call = new Call("call-1", "")) {
            assertEquals(VPN, call.bridgeForPbx.rtp().getAddress().getHostAddress(), "the PBX sees only the VPN side");
            assertEquals(LAN, call.bridgeForPhone.rtp().getAddress().getHostAddress());
            assertEquals(
                    call.bridgeForPbx.rtp().getPort() + 1,
                    call.bridgeForPbx.rtcp().getPort());

            byte[] voice = RtcpPackets.rtp(0, 1, 160, 0x1111, 160);
            call.phoneRtp.send(voice, call.bridgeForPhone.rtp());
            Received atPbx = call.pbxRtp.receive();
            assertArrayEquals(voice, atPbx.data());
            assertEquals(call.bridgeForPbx.rtp(), atPbx.sender(), "sent from the bridge port the PBX was told");

            byte[] back = RtcpPackets.rtp(0, 900, 7000, 0x2222, 160);
            call.pbxRtp.send(back, call.bridgeForPbx.rtp());
            Received atPhone = call.phoneRtp.receive();
            assertArrayEquals(back, atPhone.data());
            assertEquals(call.bridgeForPhone.rtp(), atPhone.sender());

            byte[] report = RtcpPackets.senderReport(0x1111, 0xABCD, 0x12345678);
            call.phoneRtcp.send(report, call.bridgeForPhone.rtcp());
            assertArrayEquals(report, call.pbxRtcp.receive().data());
            byte[] reply = RtcpPackets.receiverReport(0x2222, 0xABCD1234, 0);
            call.pbxRtcp.send(reply, call.bridgeForPbx.rtcp());
            assertArrayEquals(reply, call.phoneRtcp.receive().data());

            StreamSnapshot stream = only().streams().get(0);
            assertEquals(1, stream.lanToVpn().packets());
            assertEquals(voice.length, stream.lanToVpn().bytes());
            assertEquals(1, stream.lanToVpn().rtcpPackets());
            assertEquals(1, stream.vpnToLan().packets());
            assertEquals(1, stream.vpnToLan().rtcpPackets());
            assertEquals(call.phoneRtp.address(), stream.lan().latchedRtp());
            assertEquals(call.pbxRtp.address(), stream.vpn().latchedRtp());
            assertNotNull(stream.vpnToLan().legRttMs(), "the PBX's RR answered the phone's SR as it passed the bridge");
            assertEquals("call-1", only().callId());
            await("tap", () -> tapped.size() == 4);
            assertTrue(
                    tapped.contains(Direction.LAN_TO_VPN + " rtp " + call.phoneRtp.address() + " -> "
                            + call.pbxRtp.address() + " " + voice.length),
                    tapped.toString());
        }
    }

    /**
     * The VPN came back with another address: the call's VPN sockets move there on the same ports, the re-offer
     * for the PBX names the new address with the next o= version, and media flows both ways through the new
     * sockets (the PBX's side latched again) while the old address's ports are free.
     */
    @Test
    void aCallMovesToANewVpnAddressOnTheSamePorts() throws Exception {
        start(Duration.ofSeconds(60));
        String moved = "127.0.0.5";
        try (Call call = new Call("moving", "")) {
            byte[] voice = RtcpPackets.rtp(0, 1, 160, 0x1111, 160);
            call.phoneRtp.send(voice, call.bridgeForPhone.rtp());
            assertArrayEquals(voice, call.pbxRtp.receive().data());
            call.pbxReachesPhone(900, "before the move");

            assertEquals(List.of(), relay.moveVpnTo(Ipv4Subnet.parse(moved + "/8")));
            String reoffer = call.session.vpnReoffer();
            assertTrue(reoffer.contains("o=- 42 2 IN IP4 " + moved + "\r\n"), reoffer);
            assertTrue(reoffer.contains("c=IN IP4 " + moved + "\r\n"), reoffer);
            AnnouncedStream bridgeNow = bridge(reoffer);
            assertEquals(call.bridgeForPbx.rtp().getPort(), bridgeNow.rtp().getPort(), "same ports, nothing allocated");
            assertEquals(call.bridgeForPbx.rtcp().getPort(), bridgeNow.rtcp().getPort());
            call.session.vpnReofferAnswered(offer(VPN, call.pbxRtp.port(), call.pbxRtcp.port(), 8, ""));

            byte[] after = RtcpPackets.rtp(0, 2, 320, 0x1111, 160);
            call.phoneRtp.send(after, call.bridgeForPhone.rtp());
            Received atPbx = call.pbxRtp.receive();
            assertArrayEquals(after, atPbx.data());
            assertEquals(bridgeNow.rtp(), atPbx.sender(), "sent from the new VPN address");
            byte[] back = RtcpPackets.rtp(0, 901, 7160, 0x2222, 20);
            call.pbxRtp.send(back, bridgeNow.rtp());
            assertArrayEquals(back, call.phoneRtp.receive().data());
            await("the old VPN port freed", () -> canBind(call.bridgeForPbx.rtp()));
            assertEquals(
                    moved,
                    only().streams().get(0).vpn().bridgeRtp().getAddress().getHostAddress());
        }
    }

    @Test
    void manyPacketsKeepOrderAndCountsAndQualityAreMeasured() throws Exception {
        start(Duration.ofSeconds(60));
        try (Call call = new Call("burst", "")) {
            for (int batch = 0; batch < 200; batch += 10) { // bursts of 10, well within socket buffers
                for (int seq = batch; seq < batch + 10; seq++) {
                    if (seq != 50) { // one packet lost before the bridge
                        call.phoneRtp.send(RtcpPackets.rtp(0, seq, seq * 160, 0x77, 160), call.bridgeForPhone.rtp());
                    }
                }
                for (int seq = batch; seq < batch + 10; seq++) {
                    if (seq != 50) {
                        Received got = call.pbxRtp.receive();
                        assertArrayEquals(RtcpPackets.rtp(0, seq, seq * 160, 0x77, 160), got.data(), "packet " + seq);
                    }
                }
            }
            DirectionSnapshot up = only().streams().get(0).lanToVpn();
            assertEquals(199, up.packets());
            assertEquals(199, up.expected(), "seq 0 is on probation: base 1, max 199");
            assertEquals(1, up.lost());
            assertEquals(100.0 / 199, up.lossPercent(), 1e-9);
            assertEquals("G.711", up.quality().codec());
            assertTrue(up.quality().mos() > 1 && up.quality().mos() <= 4.5);
        }
    }

    @Test
    void marksRtpAndRtcpWithTheConfiguredDscp() throws Exception {
        start(Duration.ofSeconds(60));
        try (Call call = new Call("dscp", "")) {
            List<DatagramChannel> channels = streams().get(0).channels();
            assertEquals(4, channels.size());
            for (DatagramChannel channel : channels) {
                assertEquals(0xB8, channel.config().getOption(ChannelOption.IP_TOS), "EF on " + channel.localAddress());
            }
        }
        // a change applies to the next call: RTP AF41 (34 → 0x88), RTCP untagged
        settings.set(settings("41000-41199", true, 34, false, 46));
        try (Call call = new Call("dscp-2", "")) {
            StreamRelay stream = relay.activeSessions().stream()
                    .filter(s -> s.callId().equals("dscp-2"))
                    .findFirst()
                    .orElseThrow()
                    .streams()
                    .get(0);
            List<DatagramChannel> channels = stream.channels();
            assertEquals(0x88, channels.get(0).config().getOption(ChannelOption.IP_TOS));
            assertEquals(0x88, channels.get(2).config().getOption(ChannelOption.IP_TOS));
            assertEquals(0, channels.get(1).config().getOption(ChannelOption.IP_TOS));
            assertEquals(0, channels.get(3).config().getOption(ChannelOption.IP_TOS));
        }
    }

    private List<StreamRelay> streams() {
        return relay.activeSessions().iterator().next().streams();
    }

    @Test
    void aStraySenderIsDroppedBeforeAndAfterLatching() throws Exception {
        start(Duration.ofSeconds(60));
        try (Call call = new Call("stray", "");
                Peer stray = new Peer(STRAY)) {
            stray.send(RtcpPackets.rtp(0, 666, 0, 0x666, 20), call.bridgeForPhone.rtp());
            byte[] first = RtcpPackets.rtp(0, 1, 160, 0x1111, 20);
            call.phoneRtp.send(first, call.bridgeForPhone.rtp());
            assertArrayEquals(first, call.pbxRtp.receive().data(), "the stray's packet never reached the PBX");
            assertEquals(1, only().streams().get(0).lanToVpn().strayDropped());
            assertEquals(call.phoneRtp.address(), only().streams().get(0).lan().latchedRtp());

            stray.send(RtcpPackets.rtp(0, 667, 0, 0x666, 20), call.bridgeForPhone.rtp());
            byte[] second = RtcpPackets.rtp(0, 2, 320, 0x1111, 20);
            call.phoneRtp.send(second, call.bridgeForPhone.rtp());
            assertArrayEquals(second, call.pbxRtp.receive().data(), "no hijack after latching either");
            assertEquals(call.phoneRtp.address(), only().streams().get(0).lan().latchedRtp());
        }
    }

    /**
     * Issue #15, clipped audio at answer: the PBX starts sending the moment it sends its 200 (or 183 with SDP),
     * while the bridge is still relaying that answer. Packets that reach the bridge before the answer's SDP is
     * applied must be relayed once it is, in order; a stray's must not.
     */
    @Test
    void audioSentBeforeTheAnswersSdpIsAppliedIsNotClipped() throws Exception {
        start(Duration.ofSeconds(60));
        try (Peer phoneRtp = new Peer(LAN);
                Peer pbxRtp = new Peer(VPN);
                Peer stray = new Peer(STRAY)) {
            MediaSession session = relay.allocate("early");
            AnnouncedStream bridgeForPbx =
                    bridge(session.fromLan(offer(LAN, phoneRtp.port(), phoneRtp.port() + 1, 1, "")));
            stray.send(RtcpPackets.rtp(0, 666, 0, 0x666, 20), bridgeForPbx.rtp());
            for (int seq = 1; seq <= 4; seq++) { // 80 ms of speech right at answer
                pbxRtp.send(RtcpPackets.rtp(0, seq, seq * 160, 0x2222, 20), bridgeForPbx.rtp());
            }
            Thread.sleep(200); // let them reach the bridge before it applies the answer (the race of a real call)
            session.fromVpn(offer(VPN, pbxRtp.port(), pbxRtp.port() + 1, 7, ""));
            for (int seq = 1; seq <= 4; seq++) {
                assertArrayEquals(
                        RtcpPackets.rtp(0, seq, seq * 160, 0x2222, 20),
                        phoneRtp.receive().data(),
                        "packet " + seq);
            }
            byte[] next = RtcpPackets.rtp(0, 5, 800, 0x2222, 20);
            pbxRtp.send(next, bridgeForPbx.rtp());
            assertArrayEquals(
                    next, phoneRtp.receive().data(), "then the stream goes on; the stray's packet never came");
            DirectionSnapshot down = only().streams().get(0).vpnToLan();
            assertEquals(5, down.packets());
            assertEquals(1, down.strayDropped());
            assertEquals(pbxRtp.address(), only().streams().get(0).vpn().latchedRtp());
        }
    }

    /** The same race on the phone's side of an incoming call: the phone sends as soon as it sent its 200. */
    @Test
    void thePhonesAudioSentBeforeItsAnswerIsAppliedIsNotClipped() throws Exception {
        start(Duration.ofSeconds(60));
        try (Peer phoneRtp = new Peer(LAN);
                Peer pbxRtp = new Peer(VPN)) {
            MediaSession session = relay.allocate("incoming");
            AnnouncedStream bridgeForPhone =
                    bridge(session.fromVpn(offer(VPN, pbxRtp.port(), pbxRtp.port() + 1, 1, "")));
            byte[] first = RtcpPackets.rtp(0, 1, 160, 0x1111, 20);
            phoneRtp.send(first, bridgeForPhone.rtp());
            Thread.sleep(200);
            session.fromLan(offer(LAN, phoneRtp.port(), phoneRtp.port() + 1, 1, ""));
            assertArrayEquals(first, pbxRtp.receive().data());
            assertEquals(0, only().streams().get(0).lanToVpn().strayDropped());
        }
    }

    /** Packets kept for an SDP that never comes are freed with the session (LeakCheck) and counted. */
    @Test
    void packetsKeptForAnSdpThatNeverCameAreDroppedAtRelease() throws Exception {
        start(Duration.ofSeconds(60));
        try (Peer phoneRtp = new Peer(LAN);
                Peer pbxRtp = new Peer(VPN)) {
            MediaSession session = relay.allocate("never-answered");
            AnnouncedStream bridgeForPbx =
                    bridge(session.fromLan(offer(LAN, phoneRtp.port(), phoneRtp.port() + 1, 1, "")));
            for (int seq = 1; seq <= 20; seq++) { // more than the bridge keeps
                pbxRtp.send(RtcpPackets.rtp(0, seq, seq * 160, 0x2222, 20), bridgeForPbx.rtp());
            }
            await(
                    "the oldest pushed out",
                    () -> only().streams().get(0).vpnToLan().strayDropped() == 4);
            session.release();
            assertEquals(
                    20,
                    relay.endedSessions().get(0).streams().get(0).vpnToLan().strayDropped(),
                    "all of them dropped as stray in the end");
            assertNull(phoneRtp.receiveOrNull(100));
        }
    }

    /**
     * Issue #15: a multi-homed media server announces one address and sends from another (PBX_OTHER). Learning
     * mode latches to it once the announced address had its chance; a source outside the PBX side (STRAY, which
     * sends first and all along) is never latched, and the phone's audio then goes to the learned source.
     */
    @Test
    void learningModeLatchesTheFirstSourceOfThePbxSideWhenTheAnnouncedOneIsSilent() throws Exception {
        start(Duration.ofSeconds(60));
        try (Call call = new Call("learn", "");
                Peer other = new Peer(PBX_OTHER);
                Peer stray = new Peer(STRAY)) {
            byte[] voice = RtcpPackets.rtp(0, 1, 160, 0x2222, 20);
            Received first = null;
            for (int attempt = 0; attempt < 200 && first == null; attempt++) { // a packet every 20 ms, as a PBX sends
                stray.send(RtcpPackets.rtp(0, 666, 0, 0x666, 20), call.bridgeForPbx.rtp());
                other.send(voice, call.bridgeForPbx.rtp());
                first = call.phoneRtp.receiveOrNull(20);
            }
            assertNotNull(first, "the PBX's audio from its second address never reached the phone");
            assertArrayEquals(voice, first.data());
            StreamSnapshot stream = only().streams().get(0);
            assertEquals(other.address(), stream.vpn().latchedRtp());
            assertTrue(stream.vpn().learned());
            assertEquals(call.pbxRtp.address(), stream.vpn().announcedRtp(), "the SDP's address is still shown");

            byte[] back = RtcpPackets.rtp(0, 1, 160, 0x1111, 20);
            call.phoneRtp.send(back, call.bridgeForPhone.rtp());
            assertArrayEquals(back, other.receive().data(), "the phone's audio goes where the PBX's comes from");
            stray.send(RtcpPackets.rtp(0, 667, 0, 0x666, 20), call.bridgeForPbx.rtp());
            call.pbxRtp.send(RtcpPackets.rtp(0, 668, 0, 0x666, 20), call.bridgeForPbx.rtp());
            byte[] next = RtcpPackets.rtp(0, 2, 320, 0x2222, 20);
            other.send(next, call.bridgeForPbx.rtp());
            assertArrayEquals(next, call.phoneRtp.receive().data(), "once latched, nobody else gets through");
            assertFalse(only().streams().get(0).lan().learned(), "the phone's side never learns");
        }
    }

    /**
     * Issue #15, honest quality: in strict mode the PBX's audio from an address its SDP did not announce is all
     * dropped. The direction has no MOS (it used to show 4.40), the session carries a one-way alarm naming that
     * address, and the relay raises a status warning, until audio flows both ways.
     */
    @Test
    void oneWayAudioIsFlaggedWhileItLastsAndAnEmptyDirectionHasNoMos() throws Exception {
        settings.set(settings("41000-41199", true, 46, true, 46, false));
        start(Duration.ofSeconds(60));
        relay.alarmAfter(Duration.ofMillis(300));
        try (Call call = new Call("one-way", "");
                Peer other = new Peer(PBX_OTHER)) {
            assertNull(only().alarm(), "no alarm right after the SDP");
            java.util.concurrent.atomic.AtomicInteger seq = new java.util.concurrent.atomic.AtomicInteger();
            await("the one-way alarm", () -> {
                int n = seq.incrementAndGet();
                try {
                    call.phoneRtp.send(RtcpPackets.rtp(0, n, n * 160, 0x1111, 20), call.bridgeForPhone.rtp());
                    other.send(RtcpPackets.rtp(0, n, n * 160, 0x2222, 20), call.bridgeForPbx.rtp());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                StreamSnapshot stream = only().streams().get(0);
                // the alarm, once the PBX's packets were seen dropped and the phone's measured
                return only().alarm() != null
                        && stream.vpnToLan().strayDropped() > 0
                        && stream.lanToVpn().quality() != null;
            });
            SessionSnapshot session = only();
            assertEquals(
                    org.sipbridge.rtp.relay.FlowAlarm.Problem.NOTHING_FROM_PBX,
                    session.alarm().problem());
            assertTrue(
                    session.alarm().detail().contains("came from " + PBX_OTHER + " instead of the announced " + VPN),
                    session.alarm().detail());
            assertNull(session.streams().get(0).vpnToLan().quality(), "no MOS for the silent direction");
            assertNotNull(session.streams().get(0).lanToVpn().quality());
            assertTrue(
                    relay.reasons().stream().anyMatch(r -> r.message().startsWith("Call one-way: one-way audio")),
                    relay.reasons().toString());

            call.pbxReachesPhone(7, "the announced address starts sending");
            assertNull(only().alarm(), "audio both ways: the alarm is gone");
            assertEquals(List.of(), relay.reasons());
        }
    }

    @Test
    void strictModeNeverLatchesAnotherSource() throws Exception {
        settings.set(settings("41000-41199", true, 46, true, 46, false));
        start(Duration.ofSeconds(60));
        try (Call call = new Call("strict", "");
                Peer other = new Peer(PBX_OTHER)) {
            long until = System.nanoTime() + 2 * org.sipbridge.rtp.relay.MediaLeg.LEARN_AFTER_NANOS;
            int sent = 0;
            while (System.nanoTime() < until) {
                other.send(RtcpPackets.rtp(0, 100 + sent, 0, 0x4444, 20), call.bridgeForPbx.rtp());
                sent++;
                Thread.sleep(20);
            }
            int expected = sent;
            call.pbxReachesPhone(1, "the announced address still works, and its packet is the first the phone gets");
            assertEquals(expected, only().streams().get(0).vpnToLan().strayDropped());
            assertEquals(call.pbxRtp.address(), only().streams().get(0).vpn().latchedRtp());
        }
    }

    @Test
    void learningModeStillPrefersTheAnnouncedAddress() throws Exception {
        start(Duration.ofSeconds(60));
        try (Call call = new Call("prefer", "");
                Peer other = new Peer(PBX_OTHER)) {
            call.pbxReachesPhone(1, "the announced address sends first");
            long until = System.nanoTime() + 2 * org.sipbridge.rtp.relay.MediaLeg.LEARN_AFTER_NANOS;
            while (System.nanoTime() < until) {
                other.send(RtcpPackets.rtp(0, 100, 0, 0x4444, 20), call.bridgeForPbx.rtp());
                Thread.sleep(20);
            }
            call.pbxReachesPhone(2, "the latch on the announced address holds");
            assertFalse(only().streams().get(0).vpn().learned());
        }
    }

    @Test
    void aNewSdpMovesTheStreamAndTheLatchIsLearnedAgain() throws Exception {
        start(Duration.ofSeconds(60));
        try (Call call = new Call("move", "");
                Peer newPhone = new Peer(LAN)) {
            byte[] fromOld = RtcpPackets.rtp(0, 1, 160, 0x1111, 20);
            call.phoneRtp.send(fromOld, call.bridgeForPhone.rtp());
            assertArrayEquals(fromOld, call.pbxRtp.receive().data());

            // same IP, other port, no new SDP yet: not accepted
            newPhone.send(RtcpPackets.rtp(0, 99, 0, 0x9999, 20), call.bridgeForPhone.rtp());
            byte[] marker = RtcpPackets.rtp(0, 2, 320, 0x1111, 20);
            call.phoneRtp.send(marker, call.bridgeForPhone.rtp());
            assertArrayEquals(marker, call.pbxRtp.receive().data());

            // re-INVITE from the phone announcing its new port
            String reoffer = call.session.fromLan(offer(LAN, newPhone.port(), newPhone.port() + 1, 2, ""));
            assertEquals(call.bridgeForPbx.rtp(), bridge(reoffer).rtp(), "the bridge keeps its ports across re-offers");
            assertTrue(reoffer.contains("o=- 42 2 IN IP4 " + VPN), reoffer);

            byte[] fromPbx = RtcpPackets.rtp(0, 500, 0, 0x2222, 20);
            call.pbxRtp.send(fromPbx, call.bridgeForPbx.rtp());
            assertArrayEquals(fromPbx, newPhone.receive().data(), "before the new phone sends: to the announced port");

            byte[] fromNew = RtcpPackets.rtp(0, 3, 480, 0x1111, 20);
            newPhone.send(fromNew, call.bridgeForPhone.rtp());
            assertArrayEquals(fromNew, call.pbxRtp.receive().data());
            assertEquals(newPhone.address(), only().streams().get(0).lan().latchedRtp());

            byte[] again = RtcpPackets.rtp(0, 501, 160, 0x2222, 20);
            call.pbxRtp.send(again, call.bridgeForPbx.rtp());
            assertArrayEquals(again, newPhone.receive().data());
            assertNull(call.phoneRtp.receiveOrNull(200), "nothing more for the old port");
        }
    }

    @Test
    void aRejectedOfferToMoveTheStreamLeavesItWhereItWas() throws Exception {
        start(Duration.ofSeconds(60));
        try (Call call = new Call("rejected-move", "")) {
            call.pbxReachesPhone(1, "before the re-offer");

            // re-INVITE from the PBX moving its media to another server (127.0.0.9); the phone answers 488
            call.session.fromVpn(offer("127.0.0.9", 50000, 50001, 8, ""));
            call.session.vpnOfferRejected();
            await("the restored entries applied", () -> {
                StreamSnapshot stream = only().streams().get(0);
                return call.pbxRtp.address().equals(stream.vpn().announcedRtp())
                        && stream.vpn().latchedRtp() == null;
            });

            call.pbxReachesPhone(2, "the PBX's old address is accepted again");
            byte[] back = RtcpPackets.rtp(0, 1, 160, 0x1111, 20);
            call.phoneRtp.send(back, call.bridgeForPhone.rtp());
            assertArrayEquals(back, call.pbxRtp.receive().data(), "and sent to again");
            assertEquals(0, only().streams().get(0).vpnToLan().strayDropped());

            // a second rejection without a new offer changes nothing
            call.session.vpnOfferRejected();
            call.pbxReachesPhone(3, "after a second rejection");
        }
    }

    @Test
    void aRejectedOfferThatAddedAStreamFreesItsPorts() throws Exception {
        start(Duration.ofSeconds(60));
        try (Call call = new Call("rejected-video", "");
                Peer phoneVideo = new Peer(LAN)) {
            String withVideo = offer(LAN, call.phoneRtp.port(), call.phoneRtcp.port(), 2, "") + "m=video "
                    + phoneVideo.port() + " RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n";
            AnnouncedStream video = AnnouncedStream.of(SdpParser.parse(call.session.fromLan(withVideo)))
                    .get(1);
            assertEquals(2, only().streams().size());
            InetSocketAddress videoPort = video.rtp();
            assertFalse(canBind(videoPort), "the new stream's VPN port is held while the offer is pending");

            call.session.lanOfferRejected();
            assertEquals(
                    List.of(0),
                    only().streams().stream().map(StreamSnapshot::index).toList());
            await("the video ports are free again", () -> canBind(videoPort));
            assertEquals(call.phoneRtp.address(), only().streams().get(0).lan().announcedRtp());

            byte[] voice = RtcpPackets.rtp(0, 1, 160, 0x1111, 20);
            call.phoneRtp.send(voice, call.bridgeForPhone.rtp());
            assertArrayEquals(voice, call.pbxRtp.receive().data(), "the audio is untouched");
        }
    }

    @Test
    void holdWithZeroAddressStopsMediaAndResumeRestartsIt() throws Exception {
        start(Duration.ofSeconds(60));
        try (Call call = new Call("hold", "")) {
            call.pbxReachesPhone(1, "before the hold");

            String held = "v=0\r\no=- 42 2 IN IP4 " + LAN + "\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n" + "m=audio "
                    + call.phoneRtp.port() + " RTP/AVP 0\r\na=sendonly\r\n";
            String toPbx = call.session.fromLan(held);
            assertTrue(toPbx.contains("c=IN IP4 0.0.0.0\r\n"), "hold is passed on as it is");
            assertTrue(toPbx.contains("a=sendonly\r\n"));

            call.pbxRtp.send(RtcpPackets.rtp(0, 2, 320, 0x2222, 20), call.bridgeForPbx.rtp());
            call.phoneRtp.send(RtcpPackets.rtp(0, 1, 160, 0x1111, 20), call.bridgeForPhone.rtp());
            await("both held packets counted", () -> {
                StreamSnapshot s = only().streams().get(0);
                return s.vpnToLan().undeliverable() == 1 && s.lanToVpn().strayDropped() == 1;
            });

            call.session.fromLan(offer(LAN, call.phoneRtp.port(), call.phoneRtcp.port(), 3, ""));
            byte[] after = RtcpPackets.rtp(0, 3, 480, 0x2222, 20);
            call.pbxRtp.send(after, call.bridgeForPbx.rtp());
            assertArrayEquals(after, call.phoneRtp.receive().data(), "resumed; the held packet never arrived");
        }
    }

    @Test
    void rtcpMultiplexedOnTheRtpPortIsForwardedAndRecognised() throws Exception {
        start(Duration.ofSeconds(60));
        try (Call call = new Call("mux", "a=rtcp-mux\r\n")) {
            assertTrue(call.offerForPbx.contains("a=rtcp-mux\r\n"));
            byte[] report = RtcpPackets.senderReport(0x2222, 0x1234, 0x56780000);
            call.pbxRtp.send(report, call.bridgeForPbx.rtp());
            assertArrayEquals(report, call.phoneRtp.receive().data(), "RTCP on the RTP port passes as it is");
            StreamSnapshot s = only().streams().get(0);
            assertEquals(1, s.vpnToLan().rtcpPackets());
            assertEquals(0, s.vpnToLan().packets());
            assertEquals(0, s.vpnToLan().malformed());
        }
    }

    @Test
    void opaqueAndMalformedPacketsPassAndAreCounted() throws Exception {
        start(Duration.ofSeconds(60));
        try (Call call = new Call("opaque", "")) {
            byte[][] odd = {{1}, {0x40, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, new byte[1400]};
            for (byte[] packet : odd) {
                call.phoneRtp.send(packet, call.bridgeForPhone.rtp());
                assertArrayEquals(packet, call.pbxRtp.receive().data());
            }
            assertEquals(3, only().streams().get(0).lanToVpn().malformed());
        }
    }

    /**
     * Fuzz at the socket: random datagrams (any length up to 1500, any bytes, so RTP-, RTCP- and
     * garbage-looking alike) on both ports of both sides. Each must come out of the other side byte for
     * byte, and the stream must go on relaying afterwards. Seeded, so a failure replays.
     */
    @Test
    void randomDatagramsOnEveryPortPassByteForByte() throws Exception {
        start(Duration.ofSeconds(60));
        long seed = Long.getLong("fuzz.seed", 4733L);
        Random random = new Random(seed);
        try (Call call = new Call("fuzz", "")) {
            Peer[][] routes = {
                {call.phoneRtp, call.pbxRtp},
                {call.phoneRtcp, call.pbxRtcp},
                {call.pbxRtp, call.phoneRtp},
                {call.pbxRtcp, call.phoneRtcp}
            };
            InetSocketAddress[] targets = {
                call.bridgeForPhone.rtp(), call.bridgeForPhone.rtcp(), call.bridgeForPbx.rtp(), call.bridgeForPbx.rtcp()
            };
            for (int i = 0; i < 400; i++) {
                int route = random.nextInt(routes.length);
                byte[] datagram = new byte[1 + random.nextInt(random.nextBoolean() ? 64 : 1500)];
                random.nextBytes(datagram);
                if (random.nextBoolean()) {
                    datagram[0] = (byte) (0x80 | (datagram[0] & 0x3F)); // version 2: the parsers read further
                }
                routes[route][0].send(datagram, targets[route]);
                assertArrayEquals(datagram, routes[route][1].receive().data(), "datagram " + i + ", seed " + seed);
            }
            call.pbxReachesPhone(1, "the stream still relays after the fuzz");
        }
    }

    @Test
    void aDatagramThatMayHaveBeenTruncatedIsNotForwarded() throws Exception {
        start(Duration.ofSeconds(60));
        try (Call call = new Call("jumbo", "")) {
            call.phoneRtp.send(new byte[2048], call.bridgeForPhone.rtp()); // fills the receive buffer: maybe cut
            byte[] largest = new byte[2047];
            largest[0] = (byte) 0x80;
            call.phoneRtp.send(largest, call.bridgeForPhone.rtp());
            assertArrayEquals(largest, call.pbxRtp.receive().data());
            assertEquals(1, only().streams().get(0).lanToVpn().undeliverable());
        }
    }

    @Test
    void severalStreamsGetTheirOwnPortsAndDisabledOnesNone() throws Exception {
        start(Duration.ofSeconds(60));
        try (Peer phoneVideo = new Peer(LAN);
                Peer pbxVideo = new Peer(VPN);
                Peer phoneAudio = new Peer(LAN);
                Peer pbxAudio = new Peer(VPN)) {
            MediaSession session = relay.allocate("video");
            String phoneOffer = "v=0\r\no=- 1 1 IN IP4 " + LAN + "\r\ns=-\r\nc=IN IP4 " + LAN + "\r\nt=0 0\r\n"
                    + "m=audio " + phoneAudio.port() + " RTP/AVP 0\r\nm=application 0 UDP/BFCP *\r\n"
                    + "m=video " + phoneVideo.port() + " RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n";
            List<AnnouncedStream> toPbx = AnnouncedStream.of(SdpParser.parse(session.fromLan(phoneOffer)));
            assertFalse(toPbx.get(1).relayed(), "port 0 stays 0");
            String pbxAnswer = "v=0\r\no=- 5 5 IN IP4 " + VPN + "\r\ns=-\r\nc=IN IP4 " + VPN + "\r\nt=0 0\r\n"
                    + "m=audio " + pbxAudio.port() + " RTP/AVP 0\r\nm=application 0 UDP/BFCP *\r\n"
                    + "m=video " + pbxVideo.port() + " RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n";
            List<AnnouncedStream> toPhone = AnnouncedStream.of(SdpParser.parse(session.fromVpn(pbxAnswer)));
            assertNotEquals(toPhone.get(0).rtp(), toPhone.get(2).rtp());

            byte[] frame = RtcpPackets.rtp(96, 1, 90000, 0x5555, 1000);
            phoneVideo.send(frame, toPhone.get(2).rtp());
            assertArrayEquals(frame, pbxVideo.receive().data());
            byte[] voice = RtcpPackets.rtp(0, 1, 160, 0x6666, 160);
            pbxAudio.send(voice, toPbx.get(0).rtp());
            assertArrayEquals(voice, phoneAudio.receive().data());

            List<StreamSnapshot> streams = only().streams();
            assertEquals(
                    List.of(0, 2), streams.stream().map(StreamSnapshot::index).toList());
            assertEquals("video", streams.get(1).media());
            assertEquals(1, streams.get(1).lanToVpn().packets());
            session.release();
        }
    }

    @Test
    void releaseClosesTheSocketsAndFreesThePorts() throws Exception {
        start(Duration.ofSeconds(60));
        InetSocketAddress lanRtp;
        InetSocketAddress vpnRtp;
        try (Call call = new Call("bye", "")) {
            lanRtp = call.bridgeForPhone.rtp();
            vpnRtp = call.bridgeForPbx.rtp();
            call.session.release();
            call.session.release(); // idempotent
            assertThrows(MediaUnavailableException.class, () -> call.session.fromLan(offer(LAN, 5000, 5001, 9, "")));
        }
        for (InetSocketAddress rtp : List.of(lanRtp, vpnRtp)) {
            await("RTP port " + rtp + " free", () -> canBind(rtp));
            await("RTCP port free", () -> canBind(new InetSocketAddress(rtp.getAddress(), rtp.getPort() + 1)));
        }
        assertEquals(List.of(), relay.sessions());
        SessionSnapshot ended = relay.endedSessions().get(0);
        assertEquals(EndReason.RELEASED, ended.endReason());
        assertNotNull(ended.ended());
        assertEquals(1, relay.counters().released());
    }

    @Test
    void aPortRangeThatRunsOutRefusesCallsCleanlyAndRecovers() throws Exception {
        settings.set(settings("41200-41203", true, 46, true, 46)); // two pairs: one stream
        start(Duration.ofSeconds(60));
        MediaSession first = relay.allocate("one");
        MediaUnavailableException e = assertThrows(MediaUnavailableException.class, () -> relay.allocate("two"));
        assertTrue(e.getMessage().startsWith("no free RTP ports in 41200-41203"), e.getMessage());
        assertEquals(1, relay.counters().allocationFailures());
        assertFalse(relay.reasons().isEmpty(), "a warning while the range is used up");
        first.release();
        relay.allocate("three").release();
        assertTrue(relay.reasons().isEmpty());
    }

    @Test
    void aSecondStreamThatDoesNotFitRefusesTheSdpButKeepsTheCall() throws Exception {
        settings.set(settings("41200-41203", true, 46, true, 46));
        start(Duration.ofSeconds(60));
        MediaSession session = relay.allocate("tight");
        String twoStreams = "v=0\r\no=- 1 1 IN IP4 " + LAN + "\r\ns=-\r\nc=IN IP4 " + LAN + "\r\nt=0 0\r\n"
                + "m=audio 5000 RTP/AVP 0\r\nm=video 5002 RTP/AVP 96\r\n";
        assertThrows(MediaUnavailableException.class, () -> session.fromLan(twoStreams));
        String audioOnly = session.fromLan(offer(LAN, 5000, 5001, 1, ""));
        assertEquals(41200, bridge(audioOnly).rtp().getPort() & ~2, "the first stream's ports are still the call's");
        session.release();
    }

    @Test
    void aPortHeldByAnotherProgramIsSkipped() throws Exception {
        settings.set(settings("41300-41309", true, 46, true, 46));
        start(Duration.ofSeconds(60));
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(LAN, 41301))) {
            MediaSession session = relay.allocate("squat");
            String toPhone = session.fromVpn(offer(VPN, 6000, 6001, 1, ""));
            int port = bridge(toPhone).rtp().getPort();
            assertNotEquals(41300, port);
            assertEquals(0, port % 2);
            assertTrue(port >= 41300 && port <= 41308);
            session.release();
        }
    }

    @Test
    void silenceForTheTimeoutReleasesTheSession() throws Exception {
        start(Duration.ofMillis(200));
        MediaSession oneSided = relay.allocate("ringing");
        oneSided.fromLan(offer(LAN, 5000, 5001, 1, ""));
        MediaSession held = relay.allocate("held");
        held.fromLan(offer(LAN, 5002, 5003, 1, "a=sendonly\r\n"));
        held.fromVpn(offer(VPN, 5004, 5005, 1, "a=recvonly\r\n"));
        InetSocketAddress vpnRtp;
        try (Call call = new Call("silent", "")) {
            vpnRtp = call.bridgeForPbx.rtp();
            byte[] voice = RtcpPackets.rtp(0, 1, 160, 0x1111, 20);
            call.phoneRtp.send(voice, call.bridgeForPhone.rtp());
            assertArrayEquals(voice, call.pbxRtp.receive().data());
            await("inactivity release", () -> relay.counters().timedOut() == 1);
        }
        SessionSnapshot ended = relay.endedSessions().get(0);
        assertEquals("silent", ended.callId());
        assertEquals(EndReason.INACTIVITY, ended.endReason());
        assertEquals(1, ended.streams().get(0).lanToVpn().packets(), "final stats are kept");
        await("ports given back", () -> canBind(vpnRtp));
        // a second silent call, to let the one-sided session (older than both) sit through two timeouts
        try (Call call = new Call("silent-2", "")) {
            await("second inactivity release", () -> relay.counters().timedOut() == 2);
        }
        assertEquals(
                java.util.Set.of("ringing", "held"),
                relay.sessions().stream().map(SessionSnapshot::callId).collect(java.util.stream.Collectors.toSet()),
                "a call whose answer has not come, or that is on hold, is not cut for silence");
        oneSided.release();
        held.release();
    }

    @Test
    void stopEndsEverythingAndLaterCallsAreRefused() throws Exception {
        start(Duration.ofSeconds(60));
        MediaSession session = relay.allocate("shutdown");
        relay.stop();
        assertEquals(EndReason.SHUTDOWN, relay.endedSessions().get(0).endReason());
        assertThrows(MediaUnavailableException.class, () -> relay.allocate("after"));
        assertThrows(MediaUnavailableException.class, () -> session.fromLan(offer(LAN, 5000, 5001, 1, "")));
        session.release();
    }

    @Test
    void malformedSdpIsRefusedWithTheReasonAndChangesNothing() throws Exception {
        start(Duration.ofSeconds(60));
        try (Call call = new Call("bad-sdp", "")) {
            MediaUnavailableException e = assertThrows(
                    MediaUnavailableException.class,
                    () -> call.session.fromVpn("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 0\r\n"));
            assertTrue(e.getMessage().contains("no c= line"), e.getMessage());
            byte[] voice = RtcpPackets.rtp(0, 1, 160, 0x1111, 20);
            call.phoneRtp.send(voice, call.bridgeForPhone.rtp());
            assertArrayEquals(voice, call.pbxRtp.receive().data(), "the call goes on as negotiated before");
        }
    }
}
