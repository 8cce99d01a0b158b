package org.sipbridge.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.provisioning.admission.ConnectionAdmission.Refusal;
import org.sipbridge.provisioning.admission.ListenerLimits;

/**
 * Connection admission on loopback, attacked the way a hostile LAN device would: idle connections
 * held open from one address and from several, connections while the process is short of file
 * descriptors, and connections from outside the LAN subnet. Each time a well-behaved phone from
 * another address must still provision. The limits are scaled down (4 per address, 8 in all).
 */
class ConnectionLimitsFunctionalTest {

    private static final ListenerLimits SMALL = new ListenerLimits(4, 8, Duration.ofSeconds(30), 0.75);
    private static final String FILE = "/0004f2aabbcc.cfg";

    @TempDir
    Path dataDir;

    private TestUpstream upstream;
    private ProxyUnderTest proxy;
    private final List<Socket> held = new ArrayList<>();
    private volatile double descriptorShare = 0.1;

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = TestUpstream.http();
        upstream.files.put(FILE, "<polycomConfig/>\n".getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : held) {
            socket.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private void start(ListenerLimits limits, Ipv4Subnet lan) throws Exception {
        proxy = ProxyUnderTest.start(
                ProxyUnderTest.options(dataDir, upstream.url("/"))
                        .withLimits(limits)
                        .withLanSubnet(lan),
                InetAddress::getAllByName,
                () -> descriptorShare);
    }

    @Test
    void idleConnectionsFromOneAddressAreCappedAndOthersStillProvision() throws Exception {
        start(SMALL, Ipv4Subnet.parse("127.0.0.0/8"));
        for (int i = 0; i < 4; i++) {
            held.add(idle("127.0.0.10", false));
        }
        assertRefused(connect("127.0.0.10", false));
        assertEquals(200, get("127.0.0.11", false), "another LAN address still provisions");
        assertTrue(proxy.service.refusedConnections().get(Refusal.PER_SOURCE_LIMIT) >= 1);
        assertEquals(200, get("127.0.0.10", true), "the HTTPS listener counts its own connections");

        held.remove(0).close();
        awaitAdmitted("127.0.0.10", false);
    }

    @Test
    void aClosedTlsConnectionGivesItsSlotBack() throws Exception {
        start(SMALL, Ipv4Subnet.parse("127.0.0.0/8"));
        for (int i = 0; i < 4; i++) {
            held.add(idle("127.0.0.14", true));
        }
        assertRefused(connect("127.0.0.14", true));

        held.remove(0).close();
        awaitAdmitted("127.0.0.14", true);
    }

    @Test
    void idleConnectionsFromManyAddressesAreCappedInAll() throws Exception {
        start(SMALL, Ipv4Subnet.parse("127.0.0.0/8"));
        for (int i = 0; i < 8; i++) {
            held.add(idle("127.0.0." + (20 + i / 4), false));
        }
        assertRefused(connect("127.0.0.30", false));
        assertTrue(proxy.service.refusedConnections().get(Refusal.TOTAL_LIMIT) >= 1);
        assertEquals(200, get("127.0.0.30", true), "the HTTPS listener has limits of its own");

        held.remove(0).close();
        awaitAdmitted("127.0.0.30", false);
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTime() throws Exception {
        start(SMALL.withIdle(Duration.ofSeconds(1)), Ipv4Subnet.parse("127.0.0.0/8"));
        try (Socket plain = connect("127.0.0.12", false);
                Socket tls = connect("127.0.0.12", true)) {
            assertClosedByTheProxy(plain);
            assertClosedByTheProxy(tls);
        }
    }

    @Test
    void newConnectionsAreRefusedWhileFileDescriptorsRunShort() throws Exception {
        start(SMALL, Ipv4Subnet.parse("127.0.0.0/8"));
        descriptorShare = 0.80;
        assertRefused(connect("127.0.0.13", false));
        assertTrue(proxy.service.refusedConnections().get(Refusal.DESCRIPTORS_LOW) >= 1);
        descriptorShare = 0.50;
        assertEquals(200, get("127.0.0.13", false));
    }

    @Test
    void connectionsFromOutsideTheLanSubnetAreRefused() throws Exception {
        start(SMALL, Ipv4Subnet.parse("127.0.0.0/30")); // 127.0.0.0-3: the proxy's own 127.0.0.3 is "LAN"
        assertRefused(connect("127.0.0.40", false));
        assertRefused(connect("127.0.0.40", true));
        assertEquals(2, proxy.service.refusedConnections().get(Refusal.NOT_FROM_LAN));
        assertEquals(0, upstream.received.size(), "nothing reached the upstream");
        assertEquals(200, get("127.0.0.2", false), "a LAN address still provisions");
    }

    // ---------------------------------------------------------------------------------------- helpers

    /** A TCP connection from {@code source}, not yet used; to the HTTP or the HTTPS port. */
    private Socket connect(String source, boolean https) throws IOException {
        InetSocketAddress target = https ? proxy.service.httpsAddress() : proxy.service.httpAddress();
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(source, 0));
        socket.connect(target, 5000);
        socket.setSoTimeout(20_000);
        return socket;
    }

    /** A connection that has proven it was admitted (one request answered), then left idle open. */
    private Socket idle(String source, boolean https) throws Exception {
        Socket socket = connect(source, https);
        assertAnswered(socket, https);
        return socket;
    }

    private void assertAnswered(Socket socket, boolean https) throws Exception {
        Socket channel = https ? tls(socket) : socket;
        RawHttp.Response response = RawHttp.exchange(channel, RawHttp.request("GET", FILE), null);
        assertEquals(200, response.status());
    }

    private int get(String source, boolean https) throws Exception {
        try (Socket socket = connect(source, https)) {
            Socket channel = https ? tls(socket) : socket;
            return RawHttp.exchange(channel, RawHttp.request("GET", FILE, "Connection: close"), null)
                    .status();
        }
    }

    private SSLSocket tls(Socket socket) throws Exception {
        SSLSocket tls = (SSLSocket) proxy.phoneTls()
                .getSocketFactory()
                .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        tls.startHandshake();
        return tls;
    }

    /** The proxy closed the connection at once: a request on it gets no answer, only EOF or a reset. */
    private static void assertRefused(Socket socket) throws IOException {
        try (socket) {
            socket.getOutputStream().write(RawHttp.request("GET", FILE).getBytes(StandardCharsets.US_ASCII));
            assertEquals(-1, socket.getInputStream().read(), "a refused connection gets no answer");
        } catch (SocketTimeoutException e) {
            fail("the connection was kept open: not refused");
        } catch (SocketException e) {
            // reset: refused too
        }
    }

    /** Waits for EOF on a connection the test never uses (read times out after 20 s: not closed). */
    private static void assertClosedByTheProxy(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            assertEquals(-1, in.read(), "the proxy closes an idle connection");
        } catch (SocketTimeoutException e) {
            fail("the idle connection was still open after 20 s");
        } catch (SocketException e) {
            // reset: closed too
        }
    }

    /** After a held connection closes, the proxy notices it on its I/O thread: try until admitted (≤ 10 s). */
    private void awaitAdmitted(String source, boolean https) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                assertEquals(200, get(source, https));
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("a freed slot was not given back within 10 s", e);
                }
                Thread.sleep(50);
            }
        }
    }
}
