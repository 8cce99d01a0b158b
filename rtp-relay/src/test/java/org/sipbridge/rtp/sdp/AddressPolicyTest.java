package org.sipbridge.rtp.sdp;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sipbridge.contract.media.MediaNotAcceptableException;
import org.sipbridge.contract.network.Ipv4Subnet;

/**
 * Media redirection (issue #14): the bridge sends media where each side's SDP says, so the SDP must not
 * aim it at the bridge, loopback, the home LAN from the PBX side, or outside the LAN from the phone side.
 * Bridge: LAN 192.168.1.2/24, VPN 10.8.0.6/24, and a docker bridge 172.17.0.1 on the same host.
 */
class AddressPolicyTest {

    private static final AddressPolicy POLICY = new AddressPolicy(
            Ipv4Subnet.parse("192.168.1.2/24"),
            Ipv4Subnet.parse("10.8.0.6/24"),
            Set.of(Ipv4Literal.parse("172.17.0.1")));

    static String sdp(String sessionC, String mediaC, String rtcp) {
        return "v=0\r\no=- 1 1 IN IP4 198.51.100.1\r\ns=-\r\n"
                + (sessionC == null ? "" : "c=IN IP4 " + sessionC + "\r\n")
                + "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\n" + (mediaC == null ? "" : "c=IN IP4 " + mediaC + "\r\n")
                + (rtcp == null ? "" : "a=rtcp:4001 IN IP4 " + rtcp + "\r\n");
    }

    static void check(String body, boolean fromLan) throws MediaNotAcceptableException {
        try {
            POLICY.check(SdpParser.parse(body), fromLan);
        } catch (MediaNotAcceptableException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("the SDP itself should parse: " + e.getMessage(), e);
        }
    }

    @ParameterizedTest
    @CsvSource({"192.168.1.50, ", "0.0.0.0, hold is no destination", "192.168.1.254, ", "192.168.1.1, "})
    void thePhoneMayAnnounceHostsOfTheLanSubnet(String address, String note) {
        assertDoesNotThrow(() -> check(sdp(address, null, null), true));
        assertDoesNotThrow(() -> check(sdp(null, address, address), true));
    }

    @ParameterizedTest
    @CsvSource({
        "10.8.0.1, not in the LAN subnet 192.168.1.0/24",
        "203.0.113.9, not in the LAN subnet",
        "127.0.0.1, not in the LAN subnet",
        "192.168.1.2, an address of the bridge itself",
        "192.168.1.255, the LAN subnet's network or broadcast address",
        "192.168.1.0, the LAN subnet's network or broadcast address"
    })
    void thePhoneMayNotAimMediaOutsideTheLanOrAtTheBridge(String address, String reason) {
        for (String body : new String[] {
            sdp(address, null, null), sdp("192.168.1.50", address, null), sdp("192.168.1.50", null, address)
        }) {
            MediaNotAcceptableException e = assertThrows(MediaNotAcceptableException.class, () -> check(body, true));
            assertTrue(
                    e.getMessage().contains(reason)
                            && e.getMessage().contains(address)
                            && e.getMessage().startsWith("SDP line "),
                    e.getMessage());
        }
    }

    @ParameterizedTest
    @CsvSource({"10.8.0.1", "10.20.30.40", "203.0.113.9", "0.0.0.0", "192.168.2.10"})
    void thePbxMayAnnounceRoutableAddresses(String address) {
        assertDoesNotThrow(() -> check(sdp(address, address, address), false));
    }

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, a loopback address",
        "127.8.9.10, a loopback address",
        "169.254.10.20, a link-local address",
        "255.255.255.255, a reserved or broadcast address",
        "240.0.0.1, a reserved or broadcast address",
        "0.1.2.3, this network",
        "10.8.0.255, the VPN subnet's broadcast address",
        "10.8.0.6, an address of the bridge itself",
        "192.168.1.2, an address of the bridge itself",
        "172.17.0.1, an address of the bridge itself",
        "192.168.1.50, in the LAN subnet 192.168.1.0/24"
    })
    void thePbxMayNotAimMediaAtTheBridgeLoopbackOrTheHomeLan(String address, String reason) {
        for (String body : new String[] {
            sdp(address, null, null), sdp("10.20.30.40", address, null), sdp("10.20.30.40", null, address)
        }) {
            MediaNotAcceptableException e = assertThrows(MediaNotAcceptableException.class, () -> check(body, false));
            assertTrue(e.getMessage().contains(reason), e.getMessage());
        }
    }

    /**
     * A PBX that leaves SDP alone hairpins a call between two phones behind the bridge to the bridge's own
     * VPN address (#16): accepted only for ports where a live relay stream of the bridge listens there.
     */
    @Test
    void thePbxMayHairpinToARelayPortOfTheBridgesVpnAddressOnly() throws Exception {
        AddressPolicy hairpin = POLICY.hairpinningThrough(port -> port == 4000 || port == 4001);
        assertDoesNotThrow(() -> hairpin.check(SdpParser.parse(sdp("10.8.0.6", null, "10.8.0.6")), false));
        assertDoesNotThrow(() -> hairpin.check(SdpParser.parse(sdp("10.20.30.40", "10.8.0.6", null)), false));
        String otherPort = sdp("10.8.0.6", null, null).replace("m=audio 4000", "m=audio 8080");
        assertThrows(MediaNotAcceptableException.class, () -> hairpin.check(SdpParser.parse(otherPort), false));
        for (String notVpn : new String[] {"192.168.1.2", "172.17.0.1"}) {
            assertThrows(
                    MediaNotAcceptableException.class,
                    () -> hairpin.check(SdpParser.parse(sdp(notVpn, null, null)), false));
        }
        assertThrows(
                MediaNotAcceptableException.class,
                () -> hairpin.check(SdpParser.parse(sdp("10.8.0.6", null, null)), true),
                "the phone's side never");
        assertThrows(
                MediaNotAcceptableException.class,
                () -> check(sdp("10.8.0.6", null, null), false),
                "without live relay ports");
    }

    @Test
    void multicastIsAlreadyRefusedByTheParser() {
        assertThrows(Exception.class, () -> SdpParser.parse(sdp("224.0.0.1", null, null)));
    }

    @Test
    void disabledAndTcpStreamsCarryNoMediaAndAreNotChecked() {
        String body = "v=0\r\no=- 1 1 IN IP4 10.20.30.40\r\ns=-\r\nc=IN IP4 10.20.30.40\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 0\r\nm=video 0 RTP/AVP 96\r\nc=IN IP4 127.0.0.1\r\n"
                + "m=application 9 TCP/BFCP *\r\nc=IN IP4 127.0.0.1\r\n";
        assertDoesNotThrow(() -> check(body, false));
    }

    @Test
    void theRefusalQuotesTheLineEscaped() {
        MediaNotAcceptableException e = assertThrows(
                MediaNotAcceptableException.class, () -> check(sdp("10.20.30.40", "127.0.0.1", null), false));
        assertTrue(
                e.getMessage()
                        .startsWith("SDP line 7 (\"c=IN IP4 127.0.0.1\"): the PBX's side may not have media"
                                + " sent to 127.0.0.1: a loopback address"),
                e.getMessage());
    }

    /**
     * Learning mode (issue #15) must not reopen redirection: latching a VPN leg to a source decides where the
     * phone's audio goes, so only the PBX's side may be learned, never the home LAN, the bridge or anything the
     * PBX's SDP could not announce either. A server on the LAN subnet (a misconfiguration) adds nothing.
     */
    @ParameterizedTest
    @CsvSource({
        "10.8.0.50, true, the VPN subnet",
        "10.20.30.99, true, the /24 of the server 10.20.30.5",
        "10.20.31.1, false, outside the server's /24",
        "198.51.100.7, false, anywhere else",
        "192.168.1.50, false, the LAN subnet",
        "192.168.1.8, false, the LAN subnet although a listed server is there",
        "10.8.0.6, false, the bridge's VPN address",
        "172.17.0.1, false, another address of the bridge",
        "127.0.0.1, false, loopback",
        "224.0.0.1, false, multicast",
        "10.8.0.255, false, the VPN subnet's broadcast",
        "10.8.0.0, false, the VPN subnet's network address",
        "0.0.0.0, false, unspecified"
    })
    void learningModeMayLatchOnlySourcesOfThePbxSide(String source, boolean allowed, String why) {
        SourceLearning pbxSide =
                POLICY.pbxSide(java.util.List.of("10.20.30.5:5060", "pbx.example.com", "192.168.1.7", "not a server!"));
        assertEquals(allowed, pbxSide.mayLatch(Ipv4Literal.parse(source)), why);
    }
}
