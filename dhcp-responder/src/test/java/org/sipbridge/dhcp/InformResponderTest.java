package org.sipbridge.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.contract.network.AdapterResolver.Resolution;
import org.sipbridge.dhcp.codec.DhcpDecoder;
import org.sipbridge.dhcp.codec.DhcpEncoder;
import org.sipbridge.dhcp.codec.GoldenPackets;
import org.sipbridge.dhcp.codec.Ipv4;
import org.sipbridge.dhcp.codec.MalformedDhcpException;
import org.sipbridge.dhcp.codec.Octets;
import org.sipbridge.dhcp.reply.IgnoreReason;
import org.sipbridge.dhcp.reply.InformReplyRules;
import org.sipbridge.dhcp.reply.MacAllowList;
import org.sipbridge.dhcp.reply.ReplyDecision;
import org.sipbridge.dhcp.reply.ReplyPorts;

/** From datagram to decision with the config read per request, without a socket. */
class InformResponderTest {

    /** The golden INFORM's ciaddr: the address a real phone sends it from. */
    private static final int PHONE = goldenCiaddr();

    private static int goldenCiaddr() {
        try {
            return DhcpDecoder.decode(GoldenPackets.bytes(GoldenPackets.INFORM)).ciaddr();
        } catch (MalformedDhcpException e) {
            throw new AssertionError(e);
        }
    }

    private final AtomicReference<BridgeConfig> config =
            new AtomicReference<>(TestConfigs.config("eth1", true, 160, 8088));
    private final AtomicInteger lookups = new AtomicInteger();
    private final LanAddressLookup countingLan = spec -> {
        lookups.incrementAndGet();
        return TestConfigs.lanAt("198.18.1.2/24").resolve(spec);
    };
    private final InformResponder responder = new InformResponder(
            new ResponderSettingsSource(config::get, countingLan, MacAllowList.ANY),
            new InformReplyRules(ReplyPorts.STANDARD));

    @Test
    void answersTheGoldenInformWithTheGoldenAck() {
        ReplyDecision.Reply reply = reply(responder.respond(GoldenPackets.bytes(GoldenPackets.INFORM), PHONE));

        assertEquals(Octets.of(GoldenPackets.bytes(GoldenPackets.ACK)), Octets.of(DhcpEncoder.encode(reply.packet())));
    }

    @Test
    void reportsAMalformedDatagramWithItsReason() {
        Outcome outcome = responder.respond("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII), PHONE);

        assertEquals(new Outcome.Malformed("truncated: 18 bytes, BOOTP header needs 236"), outcome);
    }

    @Test
    void dropsDiscoversWithoutLookingUpTheLanAdapter() {
        Outcome outcome = responder.respond(GoldenPackets.bytes(GoldenPackets.DISCOVER), PHONE);

        assertEquals(IgnoreReason.NOT_INFORM, ignored(outcome));
        assertEquals(0, lookups.get());
    }

    @Test
    void followsTheOptionCodeAndPortOfTheCurrentConfig() {
        config.set(TestConfigs.config("eth1", true, 66, 9000));

        ReplyDecision.Reply reply = reply(responder.respond(GoldenPackets.bytes(GoldenPackets.INFORM), PHONE));

        assertEquals(
                Optional.of(Octets.ascii("http://198.18.1.2:9000/")),
                reply.packet().options().value(66));
    }

    @Test
    void answersNothingOnceProvisioningIsSwitchedOff() {
        config.set(TestConfigs.config("eth1", false, 160, 8088));

        assertEquals(
                IgnoreReason.PROVISIONING_OFF,
                ignored(responder.respond(GoldenPackets.bytes(GoldenPackets.INFORM), PHONE)));
    }

    @Test
    void answersNothingWhileTheLanAdapterHasNoAddress() {
        LanAddressLookup unplugged = spec -> new Resolution(spec, Optional.empty(), "adapter eth1 is down");
        InformResponder withoutLan = new InformResponder(
                new ResponderSettingsSource(config::get, unplugged, MacAllowList.ANY),
                new InformReplyRules(ReplyPorts.STANDARD));

        assertEquals(
                IgnoreReason.NO_LAN_ADDRESS,
                ignored(withoutLan.respond(GoldenPackets.bytes(GoldenPackets.INFORM), PHONE)));
    }

    @Test
    void answersNothingWhenTheAdapterListCannotBeRead() {
        LanAddressLookup broken = new RecentLanAddress(
                spec -> {
                    throw new IllegalStateException("cannot list network adapters: boom");
                },
                System::nanoTime);
        InformResponder withoutLan = new InformResponder(
                new ResponderSettingsSource(config::get, broken, MacAllowList.ANY),
                new InformReplyRules(ReplyPorts.STANDARD));

        assertEquals(
                IgnoreReason.NO_LAN_ADDRESS,
                ignored(withoutLan.respond(GoldenPackets.bytes(GoldenPackets.INFORM), PHONE)));
    }

    @Test
    void honoursTheMacAllowList() {
        InformResponder strict = new InformResponder(
                new ResponderSettingsSource(config::get, countingLan, MacAllowList.parse(List.of("48:25:67"))),
                new InformReplyRules(ReplyPorts.STANDARD));

        assertEquals(
                IgnoreReason.MAC_NOT_ALLOWED,
                ignored(strict.respond(GoldenPackets.bytes(GoldenPackets.INFORM), PHONE)));
    }

    @Test
    void givesTheHttpsUrlWhenConfiguredSo() {
        BridgeConfig base = TestConfigs.config("eth1", true, 160, 8088);
        org.sipbridge.config.BridgeSettings b = base.bridge();
        config.set(base.withBridge(new org.sipbridge.config.BridgeSettings(
                b.name(),
                b.servers(),
                b.serverTransport(),
                b.lanAdapter(),
                b.vpnAdapter(),
                b.listenPort(),
                true,
                160,
                b.phoneMacAllowList(),
                8088,
                8089,
                true,
                "",
                "",
                b.provisioningUpstream(),
                b.sipRegistrationProtocol())));

        ReplyDecision.Reply reply = reply(responder.respond(GoldenPackets.bytes(GoldenPackets.INFORM), PHONE));

        assertEquals(
                Optional.of(Octets.ascii("https://198.18.1.2:8089/")),
                reply.packet().options().value(160));
    }

    @Test
    void followsTheAllowListOfTheCurrentConfig() {
        BridgeConfig base = TestConfigs.config("eth1", true, 160, 8088);
        config.set(base.withBridge(base.bridge().withPhoneMacAllowList(List.of("48:25:67"))));
        assertEquals(
                IgnoreReason.MAC_NOT_ALLOWED,
                ignored(responder.respond(GoldenPackets.bytes(GoldenPackets.INFORM), PHONE)));

        config.set(base.withBridge(base.bridge().withPhoneMacAllowList(List.of("48:25:67", "00:04:f2"))));
        reply(responder.respond(GoldenPackets.bytes(GoldenPackets.INFORM), PHONE));
    }

    private static ReplyDecision.Reply reply(Outcome outcome) {
        Outcome.Handled handled = assertInstanceOf(Outcome.Handled.class, outcome);
        return assertInstanceOf(ReplyDecision.Reply.class, handled.decision());
    }

    private static IgnoreReason ignored(Outcome outcome) {
        Outcome.Handled handled = assertInstanceOf(Outcome.Handled.class, outcome);
        return assertInstanceOf(ReplyDecision.Ignored.class, handled.decision()).reason();
    }

    @Test
    void anInformFromAnotherSourceThanItsClientAddressIsNotAnswered() {
        // A VPN host (or a LAN device forging the phone's ciaddr) sends from an address that is not ciaddr.
        assertEquals(
                IgnoreReason.SOURCE_MISMATCH,
                ignored(responder.respond(GoldenPackets.bytes(GoldenPackets.INFORM), Ipv4.parse("198.19.2.10"))));
        assertEquals(
                IgnoreReason.SOURCE_MISMATCH,
                ignored(responder.respond(GoldenPackets.bytes(GoldenPackets.INFORM), PHONE + 1)));
    }
}
