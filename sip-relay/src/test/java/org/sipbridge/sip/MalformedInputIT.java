package org.sipbridge.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.ProtocolSettings;
import org.sipbridge.config.TcpSettings;
import org.sipbridge.config.TlsSettings;
import org.sipbridge.config.UdpSettings;
import org.sipbridge.sip.stack.Slf4jStackLogger;

/**
 * Fuzzing the bridge's SIP ports: thousands of mutated, truncated and random datagrams and TCP
 * streams on both sides; afterwards the relay must still register a phone, i.e. no listener thread
 * died and nothing is stuck. (SIP parsing itself is jain-sip's; this checks the bridge survives it.)
 */
class MalformedInputIT extends RelayUnderTest {

    private static final String LAN = "127.0.0.1";
    private static final String VPN = "127.0.0.3";
    private static final String VALID =
            "REGISTER sip:sipbridge.lab SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-f%d\r\n"
                    + "From: <sip:1001@sipbridge.lab>;tag=f\r\nTo: <sip:1001@sipbridge.lab>\r\nCall-ID: fuzz-%d@phone\r\n"
                    + "CSeq: %d REGISTER\r\nContact: <sip:1001@127.0.0.1:5999>\r\nMax-Forwards: 70\r\n"
                    + "Content-Type: application/sdp\r\nContent-Length: 4\r\n\r\nv=0\n";

    private static byte[] mutate(byte[] valid, Random random) {
        byte[] out;
        switch (random.nextInt(5)) {
            case 0 -> {
                out = valid.clone();
                for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
                    out[random.nextInt(out.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> out = java.util.Arrays.copyOf(valid, random.nextInt(valid.length));
            case 2 -> {
                out = new byte[random.nextInt(1500)];
                random.nextBytes(out);
            }
            case 3 ->
                out = new String(valid, StandardCharsets.US_ASCII)
                        .replace("Content-Length: 4", "Content-Length: " + (random.nextInt(200000) - 1000))
                        .getBytes(StandardCharsets.US_ASCII);
            default ->
                out = new String(valid, StandardCharsets.US_ASCII)
                        .replace(
                                "\r\n",
                                random.nextBoolean() ? "\n" : "\r\n" + "X".repeat(random.nextInt(3000)) + ": y\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
        }
        return out;
    }

    /** Requests that lack what a SIP request must have, or carry a Content-Length beyond the size limit. */
    private static final List<String> BROKEN = List.of(
            VALID.replace("CSeq: %d REGISTER\r\n", ""),
            VALID.replace("Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-f%d\r\n", ""),
            VALID.replace("Via: SIP/2.0/UDP", "Via: SIP/2.0/XYZ"),
            VALID.replace("Max-Forwards: 70\r\n", ""),
            // Refused by the listener (RFC 4475 escruri): a missing Max-Forwards is now added, not refused.
            VALID.replace("REGISTER sip:sipbridge.lab SIP/2.0", "REGISTER sip:sipbridge.lab?Subject=x SIP/2.0"),
            VALID.replace("CSeq: %d REGISTER", "CSeq: %d INVITE"),
            VALID.replace("Content-Length: 4", "Content-Length: 999999"),
            VALID.replace("CSeq: %d REGISTER", "CSeq: REGISTER"),
            VALID.replace("Call-ID: fuzz-%d@phone\r\n", ""),
            VALID.replace("To: <sip:1001@sipbridge.lab>\r\n", "To: \r\n\r\nINJECTED log line\r\n"));

    /**
     * Malformed input is counted and dropped with one quiet line: no ERROR, no stack trace in the
     * log or on stderr, no line broken by what a peer sent, no 500 from the relay.
     */
    private static void fuzzer(byte[] datagram, String target, int port) throws java.io.IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(LAN), 0))) {
            socket.send(new DatagramPacket(datagram, datagram.length, new InetSocketAddress(target, port)));
        }
    }

    @Test
    void malformedInputIsDroppedQuietly() throws Exception {
        List<ILoggingEvent> loud;
        String stderr;
        try (LogCapture logs = new LogCapture()) {
            garbageOnEverySipPortLeavesTheRelayWorking();
            loud = logs.events().stream()
                    .filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)
                            || (e.getLevel().isGreaterOrEqual(Level.INFO) && e.getThrowableProxy() != null)
                            || e.getFormattedMessage().contains("\n")
                            || e.getFormattedMessage().contains("\r")
                            || (e.getLevel().isGreaterOrEqual(Level.WARN)
                                    && (e.getLoggerName().endsWith("RelayListener")
                                            || e.getLoggerName().endsWith("Replies"))))
                    .toList();
            stderr = logs.stderr();
        }
        assertEquals(
                List.of(),
                loud.stream()
                        .map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage()
                                + (e.getThrowableProxy() == null ? "" : " + stack trace"))
                        .distinct()
                        .limit(20)
                        .toList());
        assertFalse(
                stderr.contains("Exception in thread"),
                stderr.lines().limit(5).toList().toString());
        assertTrue(relay.malformedRequests() > 0, "malformed requests are counted");
        assertTrue(Slf4jStackLogger.problemsReported() > 0, "what jain-sip dropped is counted");
    }

    @Test
    void garbageOnEverySipPortLeavesTheRelayWorking() throws Exception {
        try (TextSipPeer pbx = new TextSipPeer("127.0.0.2");
                TextSipPeer phone = new TextSipPeer(LAN)) {
            int port;
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(LAN), 0))) {
                port = probe.getLocalPort();
            }
            BridgeConfig d = BridgeConfig.defaults();
            ProtocolSettings protocols = new ProtocolSettings(
                    UdpSettings.defaults().withPort(port),
                    new TcpSettings(true, port, 2),
                    new TlsSettings(false, 8061, false, TlsSettings.DEFAULT_CIPHER_SUITES, "", "", ""),
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
                    3_000); // quick re-probe if the fuzz made the PBX look down
            relay.start();

            Random random = new Random(20261122);
            try (DatagramSocket fuzzer = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(LAN), 0))) {
                for (int i = 0; i < 3000; i++) {
                    byte[] datagram =
                            mutate(String.format(VALID, i, i, i + 1).getBytes(StandardCharsets.US_ASCII), random);
                    String target = i % 2 == 0 ? LAN : VPN;
                    fuzzer.send(new DatagramPacket(datagram, datagram.length, new InetSocketAddress(target, port)));
                }
            }
            for (int i = 0; i < BROKEN.size(); i++) {
                byte[] broken = String.format(BROKEN.get(i), 5000 + i, 5000 + i, 5000 + i)
                        .getBytes(StandardCharsets.US_ASCII);
                for (String target : List.of(LAN, VPN)) {
                    fuzzer(broken, target, port);
                    try (Socket stream = new Socket(target, port)) {
                        stream.getOutputStream().write(broken);
                        stream.getOutputStream().flush();
                    } catch (java.io.IOException closedByTheBridge) {
                        // fine
                    }
                }
            }
            for (int i = 0; i < 40; i++) {
                try (Socket stream = new Socket(i % 2 == 0 ? LAN : VPN, port)) {
                    stream.setSoTimeout(200);
                    OutputStream out = stream.getOutputStream();
                    for (int j = 0; j < 5; j++) {
                        out.write(
                                mutate(String.format(VALID, i, i, j + 1).getBytes(StandardCharsets.US_ASCII), random));
                    }
                    out.flush();
                } catch (java.io.IOException closedByTheBridge) {
                    // a refused or reset connection is a fine answer to garbage
                }
            }

            // The relay still works: a real phone registers through it. The PBX answers everything from
            // now on (the fuzz may have made the bridge mark it down; its OPTIONS probe brings it back).
            Thread answering = new Thread(
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
                                                    contact == null ? "" : "Contact: " + contact + ";expires=60\n"),
                                            request.from());
                                }
                            } catch (java.io.IOException | RuntimeException e) {
                                // timeouts and closed sockets end nothing but this round
                            }
                        }
                    },
                    "pbx-answers");
            answering.setDaemon(true);
            answering.start();
            TextSipPeer.Message ok = null;
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            for (int attempt = 1; ok == null && System.nanoTime() < deadline; attempt++) {
                phone.send(
                        "REGISTER sip:sipbridge.lab SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + phone.port()
                                + ";branch=z9hG4bK-ok" + attempt
                                + "\nFrom: <sip:1001@sipbridge.lab>;tag=ok\nTo: <sip:1001@sipbridge.lab>\n"
                                + "Call-ID: after-fuzz@phone\nCSeq: " + attempt + " REGISTER\nContact: <sip:1001@" + LAN
                                + ":" + phone.port()
                                + ">\nMax-Forwards: 70\nContent-Length: 0\n\n",
                        new InetSocketAddress(LAN, port));
                try {
                    TextSipPeer.Message reply = phone.receiveAny();
                    if ("after-fuzz@phone".equals(reply.header("Call-ID")) && reply.status() == 200) {
                        ok = reply;
                    }
                } catch (java.net.SocketTimeoutException e) {
                    // try again
                }
            }
            answering.interrupt();
            org.junit.jupiter.api.Assertions.assertNotNull(
                    ok, "the relay never registered the phone after the fuzzing");
            assertEquals(200, ok.status());
        }
    }
}
