package org.sipbridge.rtp.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sipbridge.contract.media.MediaUnavailableException;

class SdpParserTest {

    static final String HEAD = "v=0\r\no=- 1 2 IN IP4 192.168.1.50\r\ns=-\r\nt=0 0\r\n";

    @Test
    void readsWhatTheRelayNeeds() throws Exception {
        SessionDescription sdp = SdpParser.parse(SdpGoldenTest.resource("multi-stream.in.sdp"));
        assertEquals(new Origin("-", "99", BigInteger.valueOf(5)), sdp.origin());
        assertEquals(3, sdp.sessionConnectionLine());
        assertEquals(4, sdp.media().size());
        MediaDescription video = sdp.media().get(2);
        assertEquals("video", video.media());
        assertEquals(4010, video.port());
        assertEquals("192.168.1.52", video.connection().address().getHostAddress());
        assertEquals(4013, video.rtcp().port());
        assertEquals(90000, video.rtpMaps().get(97).clockRate());
        assertTrue(sdp.media().get(1).disabled());
        assertFalse(sdp.media().get(3).udp());
    }

    @Test
    void announcedStreamsAreWhereEachSideWantsMedia() throws Exception {
        List<AnnouncedStream> streams =
                AnnouncedStream.of(SdpParser.parse(SdpGoldenTest.resource("multi-stream.in.sdp")));
        assertEquals(new InetSocketAddress("192.168.1.50", 4000), streams.get(0).rtp());
        assertEquals(new InetSocketAddress("192.168.1.50", 4001), streams.get(0).rtcp(), "RTCP defaults to RTP + 1");
        assertFalse(streams.get(1).relayed(), "port 0 is disabled");
        assertNull(streams.get(1).rtp());
        assertEquals(new InetSocketAddress("192.168.1.52", 4010), streams.get(2).rtp(), "media-level c= wins");
        assertEquals(new InetSocketAddress("192.168.1.52", 4013), streams.get(2).rtcp(), "a=rtcp wins");
        assertFalse(streams.get(3).relayed(), "TCP cannot be relayed");
    }

    @Test
    void holdAnnouncesNoAddress() throws Exception {
        AnnouncedStream held = AnnouncedStream.of(SdpParser.parse(SdpGoldenTest.resource("hold-zero-address.in.sdp")))
                .get(0);
        assertTrue(held.relayed());
        assertTrue(held.onHold());
        assertNull(held.rtp());
        assertNull(held.rtcp());
        assertFalse(held.sendRecv(), "a=inactive");
    }

    @Test
    void srtpAndMuxAreRecognised() throws Exception {
        assertTrue(AnnouncedStream.of(SdpParser.parse(SdpGoldenTest.resource("srtp-sdes.in.sdp")))
                .get(0)
                .encrypted());
        AnnouncedStream mux = AnnouncedStream.of(SdpParser.parse(SdpGoldenTest.resource("rtcp-mux.in.sdp")))
                .get(0);
        assertTrue(mux.rtcpMux());
        assertFalse(mux.encrypted());
        assertEquals(new InetSocketAddress("192.168.1.50", 3456), mux.rtcp(), "a=rtcp names the RTP port");
    }

    @Test
    void sessionLevelDirectionAppliesToStreamsWithoutTheirOwn() throws Exception {
        SessionDescription sdp =
                SdpParser.parse(HEAD + "a=inactive\r\nc=IN IP4 192.168.1.50\r\nm=audio 4000 RTP/AVP 0\r\n");
        assertEquals("inactive", sdp.media().get(0).direction());
    }

    @Test
    void toleratesTrailingBlankLinesAndNoFinalNewline() throws Exception {
        String body = HEAD + "c=IN IP4 192.168.1.50\r\nm=audio 4000 RTP/AVP 0";
        assertEquals(6, SdpParser.parse(body).lines().size());
        assertEquals(6, SdpParser.parse(body + "\r\n\r\n").lines().size());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "v=1~|SDP line 1 (\"v=1\"): must be v=0",
                "|SDP body is empty",
                "v=0~s=-~|SDP has no o= line before the first m= line",
                "v=0~o=- 1 2 IN IP4 1.2.3.4~nonsense~|SDP line 3 (\"nonsense\"): not <type>=<value>",
                "v=0~o=- 1 2 IN IP4 1.2.3.4~~s=-~|SDP line 3 (\"\"): empty line inside the body",
                "v=0~o=- 1 two IN IP4 1.2.3.4~|o= sess-id and sess-version must be numbers",
                "v=0~o=- 1 2 IN IP4~|o= needs 6 fields",
                "v=0~o=- 1 2 IN IP4 1.2.3.4~m=audio 4000 RTP/AVP 0~|m= line 1 has no c= line and there is no session-level c=",
                "v=0~o=- 1 2 IN IP4 1.2.3.4~c=IN IP4 1.2.3.4~m=audio 70000 RTP/AVP 0~|m= port must be a number from 0 to 65535",
                "v=0~o=- 1 2 IN IP4 1.2.3.4~c=IN IP4 1.2.3.4~m=audio 4000/2 RTP/AVP 0~|port counts other than /1 are not supported",
                "v=0~o=- 1 2 IN IP4 1.2.3.4~c=IN IP4 1.2.3.4~m=audio 4000~|m= needs <media> <port> <proto> <fmt>",
                "v=0~o=- 1 2 IN IP4 1.2.3.4~c=IN IP6 ::1~|IPv6 media addresses are not supported",
                "v=0~o=- 1 2 IN IP4 1.2.3.4~c=IN IP4 pbx.example.com~|c= address must be a literal IPv4 address",
                "v=0~o=- 1 2 IN IP4 1.2.3.4~c=IN IP4 224.2.1.1/127~|multicast media is not supported",
                "v=0~o=- 1 2 IN IP4 1.2.3.4~c=IN IP4 1.2.3.4~c=IN IP4 1.2.3.5~|second session-level c= line",
                "v=0~o=- 1 2 IN IP4 1.2.3.4~c=IN IP4 1.2.3.4~m=audio 4000 RTP/AVP 0~a=rtcp:0~|a=rtcp port must be a number from 1 to 65535",
                "v=0~o=- 1 2 IN IP4 1.2.3.4~c=IN IP4 1.2.3.4~m=audio 4000 RTP/AVP 0~a=rtcp:4001 IN IP6 ::1~|a=rtcp address must be IPv4",
                "v=0~o=- 1 2 IN IP4 1.2.3.4~c=IN IP4 1.2.3.4~m=audio 4000 RTP/AVP 0~o=- 1 2 IN IP4 1.2.3.4~|o= line inside a media section",
            })
    void refusesMalformedBodiesWithAPreciseReason(String body, String reason) {
        String sdp = body == null ? "" : body.replace("~", "\r\n"); // ~ stands for CRLF inside the CSV
        MediaUnavailableException e = assertThrows(MediaUnavailableException.class, () -> SdpParser.parse(sdp));
        assertTrue(
                e.getMessage().contains(reason), () -> "\"" + e.getMessage() + "\" should contain \"" + reason + "\"");
    }

    @Test
    void refusesHugeBodiesAndTooManyStreams() {
        assertThrows(MediaUnavailableException.class, () -> SdpParser.parse("v=0\r\n" + "a=x\r\n".repeat(20_000)));
        String many = HEAD + "c=IN IP4 1.2.3.4\r\n" + "m=audio 4000 RTP/AVP 0\r\n".repeat(17);
        MediaUnavailableException e = assertThrows(MediaUnavailableException.class, () -> SdpParser.parse(many));
        assertEquals("SDP has more than 16 m= lines", e.getMessage());
    }

    @Test
    void aDisabledStreamMayCarryAnAddressTheBridgeCannotUse() throws Exception {
        SessionDescription sdp = SdpParser.parse(
                HEAD + "c=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 0\r\n" + "m=video 0 RTP/AVP 96\r\nc=IN IP6 ::1\r\n");
        assertTrue(sdp.media().get(1).disabled());
        // not read, but listed so the rewriter replaces it: an IPv6 address or name may be the phone's own
        assertEquals(java.util.List.of(7), sdp.media().get(1).connectionLines());
    }
}
