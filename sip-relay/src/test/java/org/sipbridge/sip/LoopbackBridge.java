package org.sipbridge.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.BridgeSettings;
import org.sipbridge.config.ProtocolSettings;
import org.sipbridge.config.TcpSettings;
import org.sipbridge.config.TlsSettings;
import org.sipbridge.config.Transport;
import org.sipbridge.config.UdpSettings;

/**
 * A relay on loopback with a phone (127.0.0.1, the LAN) and a PBX (127.0.0.2 behind the bridge's
 * VPN side 127.0.0.3), both {@link TextSipPeer}s over UDP, for tests that check the bytes each side
 * gets. The relay listens on UDP, and on TCP when asked (same port number on both sides).
 */
public final class LoopbackBridge implements AutoCloseable {

    public static final String LAN = Loopback.LAN;
    public static final String VPN = Loopback.VPN;
    public static final String PBX = "127.0.0.2";

    public final TextSipPeer phone;
    public final TextSipPeer pbx;
    public final FakeMediaRelay media = new FakeMediaRelay(LAN, VPN);
    public final SipRelayService relay;
    public final int port;
    /** The Contact the bridge registered for the phone at the PBX, as the PBX got it. */
    public String registeredContact;

    /** Starts the relay toward {@code pbx} (which this bridge closes at the end); TCP listeners when {@code tcp}. */
    public LoopbackBridge(TextSipPeer pbx, boolean tcp) throws Exception {
        this.pbx = pbx;
        this.phone = new TextSipPeer(LAN);
        this.port = Loopback.freePort(LAN);
        BridgeConfig d = BridgeConfig.defaults();
        ProtocolSettings protocols = new ProtocolSettings(
                new UdpSettings(true, port, 500, 1000, 3, 4),
                new TcpSettings(tcp, port, 2),
                new TlsSettings(false, 8061, false, TlsSettings.DEFAULT_CIPHER_SUITES, "", "", ""),
                true,
                24);
        BridgeSettings b =
                d.bridge().withServers(List.of(PBX + ":" + pbx.port())).withAdapters("lo", "lo");
        BridgeSettings bridge = new BridgeSettings(
                b.name(),
                b.servers(),
                Transport.UDP,
                b.lanAdapter(),
                b.vpnAdapter(),
                b.listenPort(),
                b.managedPhoneProvisioning(),
                b.dhcpOptionCode(),
                b.phoneMacAllowList(),
                b.provisioningHttpPort(),
                b.provisioningHttpsPort(),
                false,
                "",
                "",
                b.provisioningUpstream(),
                Transport.UDP);
        BridgeConfig config = d.withBridge(bridge).withProtocols(protocols);
        relay = new SipRelayService(
                () -> config,
                media,
                Loopback.adapter("eth0", LAN),
                Loopback.adapter("tun0", VPN),
                java.nio.file.Path.of("target"),
                Clock.systemUTC(),
                60_000);
        relay.start();
    }

    public InetSocketAddress lanSide() {
        return new InetSocketAddress(LAN, port);
    }

    public InetSocketAddress vpnSide() {
        return new InetSocketAddress(VPN, port);
    }

    public String phoneUri() {
        return "sip:1001@" + LAN + ":" + phone.port();
    }

    /** Registers 1001 from the phone with {@code contactParams} after its Contact URI; the PBX accepts. */
    public void register(String contactParams) throws Exception {
        register(contactParams, "");
    }

    /** {@link #register(String)}, the PBX's 200 adding {@code registrarParams} (e.g. GRUUs) to the Contact. */
    public void register(String contactParams, String registrarParams) throws Exception {
        phone.send(
                "REGISTER sip:sipbridge.lab SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port()
                        + ";branch=z9hG4bK-r1\n"
                        + "From: <sip:1001@sipbridge.lab>;tag=r\nTo: <sip:1001@sipbridge.lab>\nCall-ID: reg@phone\nCSeq: 1 REGISTER\n"
                        + "Contact: <" + phoneUri() + ">" + contactParams
                        + "\nExpires: 300\nMax-Forwards: 70\nContent-Length: 0\n\n",
                lanSide());
        TextSipPeer.Message register = pbx.receive();
        registeredContact = register.header("Contact");
        pbx.send(
                TextSipPeer.response(register, "200 OK", "Contact: " + registeredContact + registrarParams + "\n"),
                register.from());
        assertEquals(200, phone.receive().status());
    }

    /** The URI inside the first {@code <…>} of a header value. */
    public static String uriOf(String header) {
        int open = header.indexOf('<');
        return open < 0 ? header : header.substring(open + 1, header.indexOf('>', open));
    }

    /** {@code headers} (ending with a newline) followed by an SDP body and its length. */
    public static String withSdp(String headers, String body) {
        return headers + "Content-Type: application/sdp\nContent-Length: "
                + body.replace("\n", "\r\n").length() + "\n\n" + body;
    }

    @Override
    public void close() {
        relay.stop();
        phone.close();
        pbx.close();
    }
}
