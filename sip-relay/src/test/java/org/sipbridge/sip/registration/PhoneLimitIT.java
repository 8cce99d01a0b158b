package org.sipbridge.sip.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.ProtocolSettings;
import org.sipbridge.config.TcpSettings;
import org.sipbridge.config.TlsSettings;
import org.sipbridge.config.UdpSettings;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.contract.network.NetworkAdapter;
import org.sipbridge.contract.network.ResolvedAdapter;
import org.sipbridge.sip.FakeMediaRelay;
import org.sipbridge.sip.Loopback;
import org.sipbridge.sip.SipRelayService;
import org.sipbridge.sip.TextSipPeer;

/**
 * {@code bridge.maxPhones} on loopback: the LAN is 127.0.0.0/8 here, so two phones on two addresses
 * (127.0.0.1 and 127.0.0.5) register through one bridge whose limit is one phone.
 */
class PhoneLimitIT {

    private static final String LAN = Loopback.LAN;
    private static final String SECOND_PHONE = "127.0.0.5";
    private SipRelayService relay;
    private final List<RegistrationOutcome> outcomes = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.stop();
        }
    }

    private int start(TextSipPeer pbx, int maxPhones) throws Exception {
        int port = Loopback.freePort(LAN);
        BridgeConfig d = BridgeConfig.defaults();
        ProtocolSettings protocols = new ProtocolSettings(
                new UdpSettings(true, port, 500, 1000, 3, 4),
                new TcpSettings(false, port, 2),
                new TlsSettings(false, 8061, false, TlsSettings.DEFAULT_CIPHER_SUITES, "", "", ""),
                true,
                24);
        BridgeConfig config = d.withBridge(d.bridge()
                        .withServers(List.of(pbx.address() + ":" + pbx.port()))
                        .withAdapters("lo", "lo")
                        .withMaxPhones(maxPhones))
                .withProtocols(protocols);
        Ipv4Subnet home = Ipv4Subnet.parse(LAN + "/8");
        ResolvedAdapter lan = new ResolvedAdapter(new NetworkAdapter("eth0", "eth0", true, false, List.of(home)), home);
        relay = new SipRelayService(
                        () -> config,
                        new FakeMediaRelay(LAN, Loopback.VPN),
                        lan,
                        Loopback.adapter("tun0", Loopback.VPN),
                        java.nio.file.Path.of("target"),
                        Clock.systemUTC(),
                        60_000)
                .reportingRegistrationsTo(outcomes::add);
        relay.start();
        return port;
    }

    private static String register(TextSipPeer phone, String user, int cseq) {
        return "REGISTER sip:sipbridge.lab SIP/2.0\n"
                + "Via: SIP/2.0/UDP " + phone.address() + ":" + phone.port() + ";branch=z9hG4bK-" + user + "-" + cseq
                + "\n"
                + "From: <sip:" + user + "@sipbridge.lab>;tag=t" + user + "\n"
                + "To: <sip:" + user + "@sipbridge.lab>\n"
                + "Call-ID: reg-" + user + "@phone\n"
                + "CSeq: " + cseq + " REGISTER\n"
                + "Contact: <sip:" + user + "@" + phone.address() + ":" + phone.port() + ">;expires=300\n"
                + "Max-Forwards: 70\n"
                + "User-Agent: PolycomVVX-VVX_450-UA/6.4.0\n"
                + "Content-Length: 0\n\n";
    }

    /** The PBX accepts the REGISTER it gets; returns the status the phone then receives. */
    private static int registerAccepted(
            TextSipPeer phone, TextSipPeer pbx, InetSocketAddress bridge, String user, int cseq) throws Exception {
        phone.send(register(phone, user, cseq), bridge);
        TextSipPeer.Message up = pbx.receive();
        pbx.send(TextSipPeer.response(up, "200 OK", "Contact: " + up.header("Contact") + "\n"), up.from());
        return phone.receive().status();
    }

    @Test
    void aNewPhoneBeyondTheLimitIsRefusedWith403AndTheServedPhoneKeepsRegistering() throws Exception {
        try (TextSipPeer pbx = new TextSipPeer("127.0.0.2");
                TextSipPeer first = new TextSipPeer(LAN);
                TextSipPeer second = new TextSipPeer(SECOND_PHONE)) {
            InetSocketAddress bridge = new InetSocketAddress(LAN, start(pbx, 1));
            assertEquals(200, registerAccepted(first, pbx, bridge, "1001", 1));

            second.send(register(second, "1002", 1), bridge);
            TextSipPeer.Message refused = second.receive();
            assertEquals("SIP/2.0 403 " + PhoneLimit.REFUSAL, refused.startLine());
            assertTrue(pbx.silentFor(300), "the refused REGISTER must not reach the PBX");
            assertEquals(1, relay.refusedPhones());
            assertEquals(SECOND_PHONE, relay.lastRefusedPhone().orElseThrow().address());

            // The phone already served may refresh and add a line: it is still one phone.
            assertEquals(200, registerAccepted(first, pbx, bridge, "1001", 2));
            assertEquals(200, registerAccepted(first, pbx, bridge, "1003", 1));
            assertEquals(1, relay.refusedPhones());

            RegistrationOutcome refusal = outcomes.stream()
                    .filter(o -> o.deviceAddress().equals(SECOND_PHONE))
                    .findFirst()
                    .orElseThrow();
            assertEquals(403, refusal.status());
            assertTrue(refusal.overPhoneLimit());
            assertEquals(1, relay.registeredPhones());
            assertEquals("", refusal.server());
            RegistrationOutcome accepted = outcomes.get(0);
            assertEquals(LAN, accepted.deviceAddress());
            assertEquals("PolycomVVX-VVX_450-UA/6.4.0", accepted.userAgent());
            assertEquals("sip:1001@sipbridge.lab", accepted.aor());
            assertEquals(200, accepted.status());
            assertTrue(accepted.expiresAt().isPresent());
            assertFalse(accepted.overPhoneLimit());
        }
    }

    @Test
    void withRoomASecondPhoneRegisters() throws Exception {
        try (TextSipPeer pbx = new TextSipPeer("127.0.0.2");
                TextSipPeer first = new TextSipPeer(LAN);
                TextSipPeer second = new TextSipPeer(SECOND_PHONE)) {
            InetSocketAddress bridge = new InetSocketAddress(LAN, start(pbx, 2));
            assertEquals(200, registerAccepted(first, pbx, bridge, "1001", 1));
            assertEquals(200, registerAccepted(second, pbx, bridge, "1002", 1));
            assertEquals(0, relay.refusedPhones());
        }
    }
}
