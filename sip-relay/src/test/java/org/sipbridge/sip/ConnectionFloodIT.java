package org.sipbridge.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.persistence.ConfigJson;

/**
 * Issue 14, "connections are bounded per source": 150 idle TCP connections to the SIP TCP port and
 * 150 connections to the TLS port that send garbage or nothing (each from its own loopback address,
 * so no per-address cap helps) must leave a registered phone its own TCP connection, and let a phone
 * open a new TCP or TLS connection and register. Before the limits, jain-sip's single cap of 64 made
 * the accept threads wait for a slot forever.
 */
class ConnectionFloodIT extends RelayUnderTest {

    private static final String LAN = Loopback.LAN;
    private static final String VPN = Loopback.VPN;
    private static final int FLOOD = 150;

    private final List<Socket> flood = new ArrayList<>();
    private Thread pbxAnswers;

    @AfterEach
    void closeFlood() throws IOException {
        for (Socket socket : flood) {
            socket.close();
        }
        if (pbxAnswers != null) {
            pbxAnswers.interrupt();
        }
    }

    @Test
    void idleTcpConnectionsFromManyAddressesLeaveTheRegisteredPhoneItsConnectionAndLetNewOnesIn() throws Exception {
        try (TextSipPeer pbx = new TextSipPeer("127.0.0.2")) {
            Ports ports = startRelay(pbx);
            try (Socket phone = connect(LAN, ports.tcp())) {
                assertEquals(200, register(phone, "tcp", 1), "the phone registers before the flood");
                for (int i = 1; i <= FLOOD; i++) {
                    floodConnect("127.0.1." + i, ports.tcp()); // idle: never sends a byte
                }
                assertEquals(200, register(phone, "tcp", 2), "the registered phone's own connection still works");
                try (Socket second = connect(LAN, ports.tcp())) {
                    assertEquals(200, register(second, "tcp", 3), "a new TCP connection is accepted and served");
                }
            }
            System.out.printf(
                    "TCP flood: %d connected, %d refused, %d closed by the limits%n",
                    flood.size(), relay.refusedConnections(), relay.evictedConnections());
            // Each connection beyond the listener's 48 (the flood's, then the phone's second) made room by
            // closing the idlest other one (one per address, so all hold equally), never the registered
            // phone's; the second connection was accepted after the whole flood (a connect the full
            // backlog dropped is not in the flood list).
            assertTrue(
                    relay.evictedConnections() >= flood.size() + 2 - 48, "the flood was cut down to the listener cap");
        }
    }

    @Test
    void garbageAndSilentTlsConnectionsDoNotStopTheTlsListener() throws Exception {
        try (TextSipPeer pbx = new TextSipPeer("127.0.0.2")) {
            Ports ports = startRelay(pbx);
            for (int i = 1; i <= FLOOD; i++) {
                Socket socket = floodConnect("127.0.2." + i, ports.tls());
                if (socket != null && i % 2 == 0) { // garbage instead of a ClientHello; the others send nothing
                    socket.getOutputStream()
                            .write("REGISTER sip:x SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
            try (SSLSocket tlsPhone = tlsConnect(ports.tls())) {
                assertEquals(200, register(tlsPhone, "tls", 4), "a new TLS connection is accepted and served");
            }
            System.out.printf(
                    "TLS flood: %d connected, %d refused, %d closed by the limits%n",
                    flood.size(), relay.refusedConnections(), relay.evictedConnections());
        }
    }

    /**
     * A TLS client that connects and never sends its ClientHello is disconnected after the
     * handshake timeout (10 s, swept every 5 s); before, it held its slot (and a thread) for ever.
     */
    @Test
    void aTlsClientThatNeverFinishesItsHandshakeIsDisconnected() throws Exception {
        try (TextSipPeer pbx = new TextSipPeer("127.0.0.2")) {
            Ports ports = startRelay(pbx);
            try (Socket silent = connect("127.0.3.1", ports.tls())) {
                silent.setSoTimeout(40_000);
                int read;
                try {
                    read = silent.getInputStream().read();
                } catch (java.net.SocketException reset) {
                    read = -1;
                }
                assertEquals(-1, read, "the bridge closed the connection");
            }
            assertEquals(1, relay.evictedConnections());
        }
    }

    private record Ports(int tcp, int tls) {}

    private Ports startRelay(TextSipPeer pbx) throws Exception {
        Ports ports = new Ports(Loopback.freePort(LAN), Loopback.freePort(LAN));
        BridgeConfig config =
                ConfigJson.parse("""
                {"bridge": {"servers": ["127.0.0.2:%d"], "lanAdapter": "%s", "vpnAdapter": "%s"},
                 "protocols": {"udp": {"port": %d}, "tcp": {"port": %d}, "tls": {"port": %d}}}
                """.formatted(pbx.port(), LAN, VPN, ports.tcp(), ports.tcp(), ports.tls()));
        relay = new SipRelayService(
                () -> config,
                new FakeMediaRelay(LAN, VPN),
                Loopback.adapter("eth0", LAN),
                Loopback.adapter("tun0", VPN),
                dataDir,
                Clock.systemUTC(),
                60_000);
        relay.start();
        pbxAnswers = answerEverything(pbx);
        return ports;
    }

    /** An attacker's connection, or null when the listener's backlog is full (it does not wait). */
    private Socket floodConnect(String source, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(source, 0));
        try {
            socket.connect(new InetSocketAddress(LAN, port), 300);
        } catch (java.net.SocketTimeoutException backlogFull) {
            socket.close();
            return null;
        }
        flood.add(socket);
        return socket;
    }

    /** A TCP connection from {@code source} (any 127/8 address works on Linux loopback). */
    private static Socket connect(String source, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(source, 0));
        socket.connect(new InetSocketAddress(LAN, port), 2000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static SSLSocket tlsConnect(int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustingEveryone()}, null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(connect(LAN, port), LAN, port, true);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    /** Sends a REGISTER on {@code socket} and returns the final status (a read timeout fails the test). */
    private static int register(Socket socket, String transport, int n) throws IOException {
        int local = socket.getLocalPort();
        String request = ("REGISTER sip:sipbridge.lab SIP/2.0\nVia: SIP/2.0/" + transport.toUpperCase(Locale.ROOT) + " "
                        + LAN + ":" + local + ";branch=z9hG4bK-flood" + n + "\nFrom: <sip:1001@sipbridge.lab>;tag=f" + n
                        + "\nTo: <sip:1001@sipbridge.lab>\nCall-ID: flood-" + n + "@phone\nCSeq: 1 REGISTER\n"
                        + "Contact: <sip:1001@" + LAN + ":" + local + ";transport=" + transport + ">\nExpires: 300\n"
                        + "Max-Forwards: 70\nContent-Length: 0\n\n")
                .replace("\n", "\r\n");
        socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        while (true) {
            String head = readHead(in);
            int status = Integer.parseInt(head.split(" ")[1]);
            in.readNBytes(contentLength(head));
            if (status >= 200) {
                return status;
            }
        }
    }

    /** Start line and headers, up to the blank line (leading CRLF keepalives skipped). */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed by the bridge");
            }
            if (bytes.size() == 0 && (b == '\r' || b == '\n')) {
                continue;
            }
            bytes.write(b);
            String text = bytes.toString(StandardCharsets.UTF_8);
            if (text.endsWith("\r\n\r\n")) {
                return text;
            }
        }
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:") || lower.startsWith("l:")) {
                return Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return 0;
    }

    /** The PBX: 200 OK to every request, with the REGISTER's Contact and an expiry. */
    private static Thread answerEverything(TextSipPeer pbx) {
        Thread thread = new Thread(
                () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        try {
                            TextSipPeer.Message request = pbx.receiveAny();
                            if (request.status() < 0 && !"ACK".equals(request.method())) {
                                String contact = request.header("Contact");
                                pbx.send(
                                        TextSipPeer.response(
                                                request,
                                                "200 OK",
                                                contact == null ? "" : "Contact: " + contact + ";expires=300\n"),
                                        request.from());
                            }
                        } catch (IOException | RuntimeException e) {
                            // read timeouts and the socket closing at the end
                        }
                    }
                },
                "pbx-answers");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The test checks availability, not the certificate (TlsRegistrationIT does). */
    private static final class TrustingEveryone implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
