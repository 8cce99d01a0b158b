package org.sipbridge.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.persistence.ConfigJson;
import org.sipbridge.sip.stack.ConnectionLimits;

/**
 * Fuzz finding F8 of issue 14: TCP connections the bridge opens itself must not stay open because
 * the peer keeps them. The campaign's PBX-side sender (on the PBX's own address) sent requests over
 * UDP whose Via said TCP; jain-sip answered each over a new connection to the PBX's port 5060 and
 * cached it while Kamailio kept it open. Here a "PBX" accepts TCP connections and never says a word.
 * The idle timeout is 2 s instead of 120 s (swept every 5 s); the waits are generous, not timed.
 */
class OutboundConnectionsIT extends RelayUnderTest {

    private static final String LAN = Loopback.LAN;
    private static final String VPN = Loopback.VPN;
    private static final String PBX = "127.0.0.2";
    private static final ConnectionLimits TWO_SECONDS_IDLE =
            new ConnectionLimits(16, 48, Duration.ofSeconds(2), Duration.ofSeconds(10));

    private ServerSocket silentPbx;

    @AfterEach
    void closePbx() throws IOException {
        if (silentPbx != null) {
            silentPbx.close();
        }
    }

    /** The PBX's TCP side: accepts connections on {@code port} (0: any) and never answers. */
    private ServerSocket listenSilently(int port) throws IOException {
        silentPbx = new ServerSocket(port, 50, InetAddress.getByName(PBX));
        return silentPbx;
    }

    @Test
    void aRequestThatCameOverUdpIsAnsweredOverUdpWhateverItsViaSays() throws Exception {
        try (TextSipPeer pbx = new TextSipPeer(PBX)) {
            listenSilently(pbx.port()); // like Kamailio: UDP and TCP on the same port
            int port = startRelay(pbx.port(), "udp");
            String via = "SIP/2.0/TCP " + PBX + ":" + pbx.port() + ";branch=z9hG4bK-f8-1";
            pbx.send(optionsToBridge(port, via, "f8-1@pbx"), new InetSocketAddress(VPN, port));

            TextSipPeer.Message answer = pbx.receive(); // before the fix: none, it went over TCP
            assertEquals(200, answer.status());
            assertEquals("f8-1@pbx", answer.header("Call-ID"));
            assertTrue(answer.header("Via").startsWith("SIP/2.0/UDP "), answer.header("Via"));
            silentPbx.setSoTimeout(200);
            assertThrows(SocketTimeoutException.class, silentPbx::accept, "the bridge opened no connection");
            assertEquals(1, relay.udpRequestsWithMisleadingVia());
        }
    }

    /** A Via's maddr (RFC 3261 §18.2.2: multicast) must not aim the bridge's answer at another host. */
    @Test
    void aRequestThatCameOverUdpIsAnsweredToWhereItCameFromWhateverItsViaMaddrSays() throws Exception {
        try (TextSipPeer pbx = new TextSipPeer(PBX);
                DatagramSocket victim = new DatagramSocket(new InetSocketAddress("127.0.0.5", pbx.port()))) {
            int port = startRelay(pbx.port(), "udp");
            String via = "SIP/2.0/UDP " + PBX + ":" + pbx.port() + ";maddr=127.0.0.5;branch=z9hG4bK-f8-2";
            pbx.send(optionsToBridge(port, via, "f8-2@pbx"), new InetSocketAddress(VPN, port));

            TextSipPeer.Message answer = pbx.receive(); // before the fix: none, it went to 127.0.0.5
            assertEquals("f8-2@pbx", answer.header("Call-ID"));
            victim.setSoTimeout(200);
            assertThrows(
                    SocketTimeoutException.class,
                    () -> victim.receive(new DatagramPacket(new byte[2048], 2048)),
                    "nothing reached the address in maddr");
        }
    }

    @Test
    void aConnectionTheBridgeOpenedIsClosedWhenNothingArrivesOnItForTheIdleTimeout() throws Exception {
        startRelay(listenSilently(0).getLocalPort(), "tcp"); // its first OPTIONS probe opens a connection to the PBX
        silentPbx.setSoTimeout(30_000);
        try (Socket fromBridge = silentPbx.accept()) {
            assertEquals(VPN, fromBridge.getInetAddress().getHostAddress());
            assertTrue(
                    closedWithin(fromBridge, Duration.ofSeconds(60)),
                    "the bridge kept its connection to a silent peer open for 60 s (idle timeout 2 s)");
        }
        assertTrue(relay.closedOutboundConnections() >= 1, "closing it was counted");
    }

    /**
     * Reads (the bridge's unanswered probes) until the bridge closes the connection; false when it
     * is still open after {@code limit}.
     */
    private static boolean closedWithin(Socket socket, Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        socket.setSoTimeout(1000);
        InputStream in = socket.getInputStream();
        while (System.nanoTime() < deadline) {
            try {
                if (in.read() < 0) {
                    return true;
                }
            } catch (SocketTimeoutException quiet) {
                // nothing for a second: look again
            } catch (SocketException reset) {
                return true;
            }
        }
        return false;
    }

    /** An OPTIONS from the PBX's address to the bridge itself (answered 200 by the bridge) with {@code via}. */
    private static String optionsToBridge(int port, String via, String callId) {
        return """
                OPTIONS sip:%s:%d SIP/2.0
                Via: %s
                From: <sip:pbx@%s>;tag=f8
                To: <sip:%s>
                Call-ID: %s
                CSeq: 1 OPTIONS
                Max-Forwards: 70
                Content-Length: 0

                """.formatted(VPN, port, via, PBX, VPN, callId);
    }

    /** Starts the relay with the PBX at 127.0.0.2:{@code pbxPort} over {@code transport}; returns its SIP port. */
    private int startRelay(int pbxPort, String transport) throws Exception {
        int port = Loopback.freePort(LAN);
        BridgeConfig config = ConfigJson.parse("""
                {"bridge": {"servers": ["%s:%d"], "serverTransport": "%s", "lanAdapter": "%s", "vpnAdapter": "%s"},
                 "protocols": {"udp": {"port": %d}, "tcp": {"port": %d}}}
                """.formatted(PBX, pbxPort, transport, LAN, VPN, port, port));
        relay = new SipRelayService(
                        () -> config,
                        new FakeMediaRelay(LAN, VPN),
                        Loopback.adapter("eth0", LAN),
                        Loopback.adapter("tun0", VPN),
                        dataDir,
                        Clock.systemUTC(),
                        60_000)
                .withConnectionLimits(TWO_SECONDS_IDLE);
        relay.start();
        return port;
    }
}
