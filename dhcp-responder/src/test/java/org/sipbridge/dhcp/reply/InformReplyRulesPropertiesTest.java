package org.sipbridge.dhcp.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.dhcp.codec.BootOp;
import org.sipbridge.dhcp.codec.DhcpArbitraries;
import org.sipbridge.dhcp.codec.DhcpDecoder;
import org.sipbridge.dhcp.codec.DhcpEncoder;
import org.sipbridge.dhcp.codec.DhcpMessage;
import org.sipbridge.dhcp.codec.DhcpMessageType;
import org.sipbridge.dhcp.codec.DhcpOption;
import org.sipbridge.dhcp.codec.DhcpOptionCodes;
import org.sipbridge.dhcp.codec.DhcpOptions;
import org.sipbridge.dhcp.codec.Ipv4;
import org.sipbridge.dhcp.codec.MalformedDhcpException;
import org.sipbridge.dhcp.codec.Octets;

/** For any request at all, an answer only ever goes to a DHCPINFORM from the LAN, and is a well-formed ACK. */
class InformReplyRulesPropertiesTest {

    private static final Ipv4Subnet LAN = Ipv4Subnet.parse("198.18.1.2/24");
    private static final MacAllowList POLYCOM = MacAllowList.parse(List.of("00:04:f2"));
    private static final InformReplyRules RULES = new InformReplyRules(ReplyPorts.STANDARD);
    /** The LAN's network and broadcast addresses: never a device to answer. */
    private static final java.util.Set<Integer> NOT_HOSTS =
            java.util.Set.of(Ipv4.parse("198.18.1.0"), Ipv4.parse("198.18.1.255"));

    @Property
    void answersOnlyInformsFromTheLanAndAnswersThemWell(
            @ForAll("requests") DhcpMessage request, @ForAll boolean polycomOnly) throws MalformedDhcpException {
        ResponderSettings settings =
                new ResponderSettings(LAN, 160, "http://198.18.1.2:8088/", polycomOnly ? POLYCOM : MacAllowList.ANY);

        ReplyDecision decision = RULES.decide(request, settings);

        boolean shouldAnswer = request.op() == BootOp.BOOTREQUEST
                && request.options().messageType().equals(Optional.of(DhcpMessageType.INFORM))
                && request.ciaddr() != 0
                && LAN.contains(request.ciaddr())
                && (request.giaddr() == 0 || LAN.contains(request.giaddr()))
                && !NOT_HOSTS.contains(request.ciaddr())
                && !NOT_HOSTS.contains(request.giaddr())
                && (!polycomOnly
                        || (request.hlen() == 6
                                && request.clientHardwareAddress().startsWith(Octets.fromHex("0004f2"))));
        Statistics.collect(decision instanceof ReplyDecision.Reply ? "answered" : "ignored");
        Statistics.coverage(coverage -> coverage.check("answered").count(n -> n > 0));
        assertEquals(shouldAnswer, decision instanceof ReplyDecision.Reply, () -> decision + " for " + request);
        if (decision instanceof ReplyDecision.Reply reply) {
            DhcpMessage ack = DhcpDecoder.decode(DhcpEncoder.encode(reply.packet()));
            assertEquals(reply.packet(), ack);
            assertEquals(BootOp.BOOTREPLY, ack.op());
            assertEquals(Optional.of(DhcpMessageType.ACK), ack.options().messageType());
            assertEquals(LAN.address(), ack.options().serverIdentifier().getAsInt());
            assertFalse(ack.options().contains(DhcpOptionCodes.LEASE_TIME));
            assertEquals(0, ack.yiaddr());
            assertEquals(request.xid(), ack.xid());
            assertEquals(request.chaddr(), ack.chaddr());
            InetSocketAddress expected = request.giaddr() != 0
                    ? new InetSocketAddress(Ipv4.text(request.giaddr()), 67)
                    : new InetSocketAddress(Ipv4.text(request.ciaddr()), 68);
            assertEquals(expected, reply.destination());
        }
    }

    /** Requests biased towards the interesting cases: INFORMs, LAN addresses, Polycom MACs. */
    @Provide
    Arbitrary<DhcpMessage> requests() {
        Arbitrary<Integer> address = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(0)),
                Tuple.of(4, Arbitraries.integers().between(1, 254).map(host -> LAN.network() | host)),
                Tuple.of(2, Arbitraries.integers()));
        Arbitrary<Optional<Integer>> type = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(Optional.empty())),
                Tuple.of(4, Arbitraries.just(Optional.of(DhcpMessageType.INFORM.code()))),
                Tuple.of(3, Arbitraries.integers().between(0, 255).map(Optional::of)));
        Arbitrary<Octets> mac = Arbitraries.frequencyOf(
                Tuple.of(
                        1,
                        Arbitraries.bytes()
                                .array(byte[].class)
                                .ofSize(3)
                                .map(b -> Octets.fromHex("0004f2" + Octets.of(b)))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofSize(6).map(Octets::of)));
        return Combinators.combine(
                        DhcpArbitraries.messages(), address, address, type, mac, Arbitraries.of(6, 6, 6, 0, 16))
                .as((base, ciaddr, giaddr, messageType, hardware, hlen) -> {
                    DhcpOptions options = base.options().list().stream()
                            .filter(o -> o.code() != DhcpOptionCodes.MESSAGE_TYPE)
                            .reduce(DhcpOptions.NONE, DhcpOptions::with, (a, b) -> a);
                    if (messageType.isPresent()) {
                        options = options.with(
                                DhcpOption.of(DhcpOptionCodes.MESSAGE_TYPE, (byte) (int) messageType.get()));
                    }
                    byte[] chaddr = base.chaddr().toByteArray();
                    System.arraycopy(hardware.toByteArray(), 0, chaddr, 0, 6);
                    return new DhcpMessage(
                            base.op(),
                            base.htype(),
                            hlen,
                            base.hops(),
                            base.xid(),
                            base.secs(),
                            base.flags(),
                            ciaddr,
                            base.yiaddr(),
                            base.siaddr(),
                            giaddr,
                            Octets.of(chaddr),
                            base.sname(),
                            base.file(),
                            options);
                });
    }
}
