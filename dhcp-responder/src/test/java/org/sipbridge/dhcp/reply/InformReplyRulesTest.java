package org.sipbridge.dhcp.reply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.dhcp.codec.BootOp;
import org.sipbridge.dhcp.codec.DhcpEncoder;
import org.sipbridge.dhcp.codec.DhcpMessage;
import org.sipbridge.dhcp.codec.DhcpMessageType;
import org.sipbridge.dhcp.codec.DhcpOption;
import org.sipbridge.dhcp.codec.DhcpOptionCodes;
import org.sipbridge.dhcp.codec.DhcpOptions;
import org.sipbridge.dhcp.codec.GoldenPackets;
import org.sipbridge.dhcp.codec.Ipv4;
import org.sipbridge.dhcp.codec.Octets;
import org.sipbridge.dhcp.codec.TestMessages;

/** What the bridge answers and, above all, what it never answers. */
class InformReplyRulesTest {

    private static final String URL = "http://198.18.1.2:8088/";
    private static final ResponderSettings SETTINGS =
            new ResponderSettings(Ipv4Subnet.parse("198.18.1.2/24"), 160, URL, MacAllowList.ANY);
    private static final InformReplyRules RULES = new InformReplyRules(ReplyPorts.STANDARD);

    @Test
    void answersThePolycomInformWithExactlyTheAckScapyBuilds() {
        ReplyDecision.Reply reply = answered(GoldenPackets.decoded(GoldenPackets.INFORM), SETTINGS);

        assertArrayEquals(GoldenPackets.bytes(GoldenPackets.ACK), DhcpEncoder.encode(reply.packet()));
        assertEquals(new InetSocketAddress("198.18.1.10", 68), reply.destination());
    }

    @Test
    void theAckCopiesTheRequestAndLeasesNothing() {
        DhcpMessage inform = withFlags(GoldenPackets.decoded(GoldenPackets.INFORM), DhcpMessage.BROADCAST_FLAG);

        DhcpMessage ack = answered(inform, SETTINGS).packet();

        assertEquals(BootOp.BOOTREPLY, ack.op());
        assertEquals(inform.xid(), ack.xid());
        assertEquals(inform.flags(), ack.flags());
        assertEquals(inform.ciaddr(), ack.ciaddr());
        assertEquals(inform.giaddr(), ack.giaddr());
        assertEquals(inform.chaddr(), ack.chaddr());
        assertEquals(inform.htype(), ack.htype());
        assertEquals(inform.hlen(), ack.hlen());
        assertEquals(0, ack.yiaddr(), "DHCPINFORM gets no address");
        assertFalse(ack.options().contains(DhcpOptionCodes.LEASE_TIME), "no lease time in an answer to DHCPINFORM");
        assertEquals(Optional.of(DhcpMessageType.ACK), ack.options().messageType());
        assertEquals("198.18.1.2", Ipv4.text(ack.options().serverIdentifier().getAsInt()));
        assertEquals(
                List.of(53, 54, 160),
                ack.options().list().stream().map(DhcpOption::code).toList());
    }

    @Test
    void stillUnicastsWhenTheClientSetTheBroadcastFlag() {
        DhcpMessage inform = withFlags(GoldenPackets.decoded(GoldenPackets.INFORM), DhcpMessage.BROADCAST_FLAG);

        assertEquals(
                new InetSocketAddress("198.18.1.10", 68),
                answered(inform, SETTINGS).destination());
    }

    @Test
    void carriesTheUrlAsTextWithoutTrailingNul() {
        Octets url = answered(GoldenPackets.decoded(GoldenPackets.INFORM), SETTINGS)
                .packet()
                .options()
                .value(160)
                .orElseThrow();

        assertEquals(Octets.ascii(URL), url);
        assertNotEquals(0, url.unsignedAt(url.length() - 1));
        assertTrue(url.length() <= 255);
    }

    @Test
    void includesTheUrlOptionEvenWhenTheClientDidNotAskForIt() {
        DhcpMessage inform = TestMessages.request(TestMessages.inform(DhcpOption.of(55, (byte) 1, (byte) 3, (byte) 6)));

        assertTrue(answered(inform, SETTINGS).packet().options().contains(160));
    }

    @Test
    void usesTheConfiguredOptionCode() {
        ResponderSettings option66 = new ResponderSettings(SETTINGS.lan(), 66, URL, MacAllowList.ANY);

        DhcpOptions options = answered(GoldenPackets.decoded(GoldenPackets.INFORM), option66)
                .packet()
                .options();

        assertEquals(Optional.of(Octets.ascii(URL)), options.value(66));
        assertFalse(options.contains(160));
    }

    @Test
    void neverAnswersADiscover() {
        assertIgnored(IgnoreReason.NOT_INFORM, GoldenPackets.decoded(GoldenPackets.DISCOVER));
    }

    @Test
    void neverAnswersARequest() {
        assertIgnored(IgnoreReason.NOT_INFORM, GoldenPackets.decoded(GoldenPackets.REQUEST));
    }

    @Test
    void neverAnswersAnyOtherMessageType() {
        for (int type = 1; type <= 255; type++) {
            if (type == DhcpMessageType.INFORM.code()) {
                continue;
            }
            DhcpMessage request = TestMessages.request(DhcpOptions.of(DhcpOption.of(53, (byte) type)));
            assertIgnored(IgnoreReason.NOT_INFORM, request);
        }
    }

    @Test
    void ignoresPlainBootp() {
        assertIgnored(IgnoreReason.NOT_DHCP, TestMessages.request(DhcpOptions.NONE));
    }

    @Test
    void ignoresAnotherServersReply() {
        DhcpMessage ack =
                answered(GoldenPackets.decoded(GoldenPackets.INFORM), SETTINGS).packet();

        assertIgnored(IgnoreReason.NOT_BOOTREQUEST, ack);
    }

    @Test
    void ignoresAnInformWithoutClientAddress() {
        assertIgnored(
                IgnoreReason.NO_CLIENT_ADDRESS,
                TestMessages.request(0, 0, GoldenPackets.PHONE_MAC, TestMessages.inform()));
    }

    @Test
    void ignoresAnInformFromOutsideTheLanSubnet() {
        int elsewhere = Ipv4.parse("198.18.2.10");

        assertIgnored(
                IgnoreReason.OUTSIDE_LAN_SUBNET,
                TestMessages.request(elsewhere, 0, GoldenPackets.PHONE_MAC, TestMessages.inform()));
    }

    @Test
    void answersARelayedInformAtTheRelayAgentsServerPort() {
        int relay = Ipv4.parse("198.18.1.254");
        DhcpMessage inform =
                TestMessages.request(GoldenPackets.PHONE_IP, relay, GoldenPackets.PHONE_MAC, TestMessages.inform());

        ReplyDecision.Reply reply = answered(inform, SETTINGS);

        assertEquals(new InetSocketAddress("198.18.1.254", 67), reply.destination());
        assertEquals(relay, reply.packet().giaddr());
    }

    @Test
    void ignoresAnInformNotSentFromItsClientOrRelayAddress() {
        DhcpMessage direct =
                TestMessages.request(GoldenPackets.PHONE_IP, 0, GoldenPackets.PHONE_MAC, TestMessages.inform());
        DhcpMessage relayed = TestMessages.request(
                GoldenPackets.PHONE_IP, Ipv4.parse("198.18.1.254"), GoldenPackets.PHONE_MAC, TestMessages.inform());

        // A VPN host, or another LAN device forging the phone's ciaddr, sends from an address that is not
        // ciaddr/giaddr.
        assertEquals(
                new ReplyDecision.Ignored(IgnoreReason.SOURCE_MISMATCH),
                RULES.decide(direct, Ipv4.parse("198.19.2.10"), SETTINGS));
        assertEquals(
                new ReplyDecision.Ignored(IgnoreReason.SOURCE_MISMATCH),
                RULES.decide(direct, Ipv4.parse("198.18.1.77"), SETTINGS));
        assertEquals(
                new ReplyDecision.Ignored(IgnoreReason.SOURCE_MISMATCH),
                RULES.decide(relayed, GoldenPackets.PHONE_IP, SETTINGS));
        assertInstanceOf(ReplyDecision.Reply.class, RULES.decide(relayed, Ipv4.parse("198.18.1.254"), SETTINGS));
    }

    @Test
    void ignoresAnInformThatNamesNoOtherDevice() {
        // Fuzzing found answers sent to the LAN broadcast address.
        for (String address : List.of("198.18.1.255", "198.18.1.0")) {
            DhcpMessage direct =
                    TestMessages.request(Ipv4.parse(address), 0, GoldenPackets.PHONE_MAC, TestMessages.inform());
            DhcpMessage relayed = TestMessages.request(
                    GoldenPackets.PHONE_IP, Ipv4.parse(address), GoldenPackets.PHONE_MAC, TestMessages.inform());
            assertIgnored(IgnoreReason.NOT_A_HOST_ADDRESS, direct);
            assertIgnored(IgnoreReason.NOT_A_HOST_ADDRESS, relayed);
        }
    }

    @Test
    void ignoresARelayAgentOutsideTheLanSubnet() {
        DhcpMessage inform = TestMessages.request(
                GoldenPackets.PHONE_IP, Ipv4.parse("10.9.9.1"), GoldenPackets.PHONE_MAC, TestMessages.inform());

        assertIgnored(IgnoreReason.RELAY_OUTSIDE_LAN_SUBNET, inform);
    }

    @Test
    void stillChecksTheClientAddressOfARelayedInform() {
        DhcpMessage inform = TestMessages.request(
                Ipv4.parse("10.9.9.5"), Ipv4.parse("198.18.1.254"), GoldenPackets.PHONE_MAC, TestMessages.inform());

        assertIgnored(IgnoreReason.OUTSIDE_LAN_SUBNET, inform);
    }

    @Test
    void answersOnlyAllowedMacsWhenAnAllowListIsSet() {
        ResponderSettings polycomOnly =
                new ResponderSettings(SETTINGS.lan(), 160, URL, MacAllowList.parse(List.of("00:04:f2", "48-25-67")));
        DhcpMessage polycom = GoldenPackets.decoded(GoldenPackets.INFORM);
        DhcpMessage newerPolycom =
                TestMessages.request(GoldenPackets.PHONE_IP, 0, Octets.fromHex("482567aabbcc"), TestMessages.inform());
        DhcpMessage laptop =
                TestMessages.request(GoldenPackets.PHONE_IP, 0, Octets.fromHex("3c22fb010203"), TestMessages.inform());

        answered(polycom, polycomOnly);
        answered(newerPolycom, polycomOnly);
        assertEquals(new ReplyDecision.Ignored(IgnoreReason.MAC_NOT_ALLOWED), RULES.decide(laptop, polycomOnly));
    }

    @Test
    void screenDropsTheHomeNetworksBroadcastsWithoutSettings() {
        assertEquals(
                Optional.of(IgnoreReason.NOT_INFORM),
                InformReplyRules.screen(GoldenPackets.decoded(GoldenPackets.DISCOVER)));
        assertEquals(Optional.empty(), InformReplyRules.screen(GoldenPackets.decoded(GoldenPackets.INFORM)));
    }

    @Test
    void answersAnOverloadedInformToo() {
        assertInstanceOf(
                ReplyDecision.Reply.class,
                RULES.decide(GoldenPackets.decoded(GoldenPackets.INFORM_OVERLOAD), SETTINGS));
    }

    private static ReplyDecision.Reply answered(DhcpMessage request, ResponderSettings settings) {
        ReplyDecision decision = RULES.decide(request, settings);
        return assertInstanceOf(ReplyDecision.Reply.class, decision, () -> "expected an answer, got " + decision);
    }

    private static void assertIgnored(IgnoreReason reason, DhcpMessage request) {
        assertEquals(new ReplyDecision.Ignored(reason), RULES.decide(request, SETTINGS), request::toString);
    }

    private static DhcpMessage withFlags(DhcpMessage m, int flags) {
        return new DhcpMessage(
                m.op(),
                m.htype(),
                m.hlen(),
                m.hops(),
                m.xid(),
                m.secs(),
                flags,
                m.ciaddr(),
                m.yiaddr(),
                m.siaddr(),
                m.giaddr(),
                m.chaddr(),
                m.sname(),
                m.file(),
                m.options());
    }
}
