package org.sipbridge.sip;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.Transport;
import org.sipbridge.config.persistence.ConfigJson;

/**
 * The PBX side listens for TLS only while the PBX is reached over TLS (#19: nothing listens wider than
 * it must, and each listener is a thread); the phone side listens for TLS whenever TLS is enabled.
 * {@code bridge.serverTransport} is live, so the PBX side's TLS listener follows its changes.
 */
class TlsListenersIT extends RelayUnderTest {

    private static final String LAN = "127.0.0.1";
    private static final String VPN = "127.0.0.3";

    @Test
    void thePbxSideListensForTlsOnlyWhileThePbxIsReachedOverTls() throws Exception {
        int port = Loopback.freePort(LAN);
        int tlsPort = Loopback.freePort(LAN);
        BridgeConfig config = ConfigJson.parse("""
                {"bridge": {"servers": ["127.0.0.2:5060"], "lanAdapter": "%s", "vpnAdapter": "%s"},
                 "protocols": {"udp": {"port": %d}, "tcp": {"port": %d}, "tls": {"port": %d}}}
                """.formatted(LAN, VPN, port, port, tlsPort));
        startRelay(config, LAN, VPN);

        assertTrue(listens(LAN, tlsPort), "phone side");
        assertFalse(listens(VPN, tlsPort), "PBX side while the PBX is reached over UDP");

        relay.serverTransportChanged(Transport.TLS);
        assertTrue(listens(VPN, tlsPort), "PBX side once the PBX is reached over TLS");
        relay.serverTransportChanged(Transport.TLS);
        assertTrue(listens(VPN, tlsPort), "a repeated change changes nothing");

        relay.serverTransportChanged(Transport.UDP);
        assertFalse(listens(VPN, tlsPort), "PBX side back on UDP");
        assertTrue(listens(LAN, tlsPort), "phone side still");
    }

    private static boolean listens(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
