package org.sipbridge.sip.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.ProtocolSettings;
import org.sipbridge.config.TcpSettings;
import org.sipbridge.config.TlsSettings;
import org.sipbridge.config.UdpSettings;
import org.sipbridge.config.persistence.ConfigJson;
import org.sipbridge.contract.tls.CertificateDetails;
import org.sipbridge.contract.tls.ListenerCertificate;
import org.sipbridge.contract.tls.Pem;
import org.sipbridge.sip.FakeMediaRelay;
import org.sipbridge.sip.Loopback;
import org.sipbridge.sip.RelayUnderTest;
import org.sipbridge.sip.SipRelayService;
import org.sipbridge.sip.TextSipPeer;
import org.sipbridge.sip.TlsSipServer;
import org.sipbridge.sip.stack.SipTlsIdentity;

/** A phone on SIP over TLS (TLS 1.2+, the bridge's generated certificate), the PBX on UDP. */
class TlsRegistrationIT extends RelayUnderTest {

    private static final String LAN = "127.0.0.1";
    private static final String VPN = "127.0.0.3";

    private static int freePort() throws Exception {
        return Loopback.freePort(LAN);
    }

    @Test
    void aPhoneRegistersOverTlsWithTheGeneratedCertificate() throws Exception {
        try (TextSipPeer pbx = new TextSipPeer("127.0.0.2")) {
            int udp = freePort();
            int tlsPort = freePort();
            BridgeConfig d = BridgeConfig.defaults();
            ProtocolSettings protocols = new ProtocolSettings(
                    UdpSettings.defaults().withPort(udp),
                    new TcpSettings(false, udp, 2),
                    new TlsSettings(true, tlsPort, false, TlsSettings.DEFAULT_CIPHER_SUITES, "", "", ""),
                    true,
                    24);
            BridgeConfig config = d.withBridge(d.bridge()
                            .withServers(List.of("127.0.0.2:" + pbx.port()))
                            .withAdapters("lo", "lo"))
                    .withProtocols(protocols);
            relay = new SipRelayService(
                    () -> config,
                    new FakeMediaRelay(LAN, VPN),
                    Loopback.adapter("eth0", LAN),
                    Loopback.adapter("tun0", VPN),
                    dataDir,
                    Clock.systemUTC(),
                    60_000);
            relay.start();

            X509Certificate bridgeCertificate = Pem.readCertificates(
                            Files.readString(dataDir.resolve(SipTlsIdentity.CERTIFICATE_STEM + "-cert.pem")))
                    .get(0);
            assertTrue(CertificateDetails.of(bridgeCertificate)
                    .subjectAlternativeNames()
                    .containsAll(List.of("IP:" + LAN, "IP:" + VPN)));
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("bridge", bridgeCertificate);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext phoneContext = SSLContext.getInstance("TLS");
            phoneContext.init(null, factory.getTrustManagers(), null);

            try (SSLSocket phone = (SSLSocket) phoneContext.getSocketFactory().createSocket(LAN, tlsPort)) {
                phone.startHandshake();
                assertTrue(
                        List.of("TLSv1.2", "TLSv1.3")
                                .contains(phone.getSession().getProtocol()),
                        phone.getSession().getProtocol());
                String register = ("REGISTER sip:sipbridge.lab SIP/2.0\nVia: SIP/2.0/TLS " + LAN
                                + ":5061;branch=z9hG4bK-tls1\n"
                                + "From: <sip:1001@sipbridge.lab>;tag=t\nTo: <sip:1001@sipbridge.lab>\nCall-ID: tls-1@phone\nCSeq: 1 REGISTER\n"
                                + "Contact: <sip:1001@" + LAN
                                + ":5061;transport=tls>\nExpires: 300\nMax-Forwards: 70\nContent-Length: 0\n\n")
                        .replace("\n", "\r\n");
                OutputStream out = phone.getOutputStream();
                out.write(register.getBytes(StandardCharsets.UTF_8));
                out.flush();

                TextSipPeer.Message upstream = pbx.receive();
                assertTrue(upstream.header("Via").startsWith("SIP/2.0/UDP " + VPN), upstream.header("Via"));
                pbx.send(
                        TextSipPeer.response(
                                upstream, "200 OK", "Contact: " + upstream.header("Contact") + ";expires=300\n"),
                        upstream.from());

                BufferedReader in =
                        new BufferedReader(new InputStreamReader(phone.getInputStream(), StandardCharsets.UTF_8));
                String status = in.readLine();
                while (status != null && status.isEmpty()) {
                    status = in.readLine();
                }
                assertEquals("SIP/2.0 200 OK", status);
            }
            assertEquals(1, relay.registrations().size());
            assertTrue(relay.registrations().get(0).phoneContact().contains("transport=tls"));
        }
    }

    /**
     * The bridge as TLS client toward the PBX: the PBX's certificate must chain to a trusted
     * authority and name the server it connects to (RFC 5922), or nothing is sent.
     */
    @Test
    void theBridgeRegistersWithAPbxOverTlsOnlyWhenItsCertificateNamesTheServer() throws Exception {
        assertEquals(new Outcome(true, 200), registerThroughTlsPbx("127.0.0.2"), "certificate for the PBX's address");
        Outcome impostor = registerThroughTlsPbx("127.0.0.9");
        assertEquals(
                false, impostor.pbxGotRequest(), "nothing may be sent to a server whose certificate names another");
        assertEquals(408, impostor.phoneStatus(), "the phone is told: " + impostor);
    }

    private record Outcome(boolean pbxGotRequest, int phoneStatus) {}

    /** What happens to a REGISTER relayed to a TLS PBX whose certificate names {@code certifiedAddress}. */
    private Outcome registerThroughTlsPbx(String certifiedAddress) throws Exception {
        Path pbxDir = Files.createTempDirectory(dataDir, "pbx");
        ListenerCertificate pbxCertificate = ListenerCertificate.generated(
                pbxDir, "pbx", "lab PBX", List.of(InetAddress.getByName(certifiedAddress)), Clock.systemUTC());
        Path trusted = pbxDir.resolve("pbx-authority.pem");
        Files.writeString(trusted, pbxCertificate.pem());
        try (TlsSipServer pbx = new TlsSipServer(pbxCertificate.serverContext(), "127.0.0.2");
                TextSipPeer phone = new TextSipPeer(LAN)) {
            int udp = freePort();
            BridgeConfig config = ConfigJson.parse("""
                    {"bridge": {"servers": ["127.0.0.2:%d"], "serverTransport": "tls", "sipRegistrationProtocol": "udp",
                                "lanAdapter": "127.0.0.1", "vpnAdapter": "127.0.0.3"},
                     "protocols": {"udp": {"port": %d}, "tcp": {"enabled": false, "port": %d},
                                   "tls": {"port": %d, "trustedAuthoritiesFile": "%s"}}}
                    """.formatted(pbx.port(), udp, udp, freePort(), trusted));
            relay = new SipRelayService(
                    () -> config,
                    new FakeMediaRelay(LAN, VPN),
                    Loopback.adapter("eth0", LAN),
                    Loopback.adapter("tun0", VPN),
                    Files.createTempDirectory(dataDir, "bridge"),
                    Clock.systemUTC(),
                    60_000);
            relay.start();
            try {
                phone.send(
                        ("REGISTER sip:sipbridge.lab SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port()
                                + ";branch=z9hG4bK-tlspbx\nFrom: <sip:1001@sipbridge.lab>;tag=t\nTo: <sip:1001@sipbridge.lab>\n"
                                + "Call-ID: tls-pbx@phone\nCSeq: 1 REGISTER\nContact: <sip:1001@" + LAN + ":"
                                + phone.port() + ">\n"
                                + "Expires: 300\nMax-Forwards: 70\nContent-Length: 0\n\n"),
                        new java.net.InetSocketAddress(LAN, udp));
                TextSipPeer.Message upstream = pbx.nextRequest(5);
                if (upstream != null) {
                    assertEquals("REGISTER", upstream.method());
                    assertTrue(upstream.header("Via").startsWith("SIP/2.0/TLS " + VPN), upstream.header("Via"));
                }
                TextSipPeer.Message answer = phone.receive();
                while (answer.status() < 200) {
                    answer = phone.receive();
                }
                System.out.println("REGISTER through a PBX certified for " + certifiedAddress + ": "
                        + answer.startLine() + "; servers " + relay.servers());
                return new Outcome(upstream != null, answer.status());
            } finally {
                relay.stop();
                relay = null;
            }
        }
    }
}
