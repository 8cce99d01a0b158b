package org.sipbridge.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sipbridge.sip.LoopbackBridge.LAN;
import static org.sipbridge.sip.LoopbackBridge.PBX;
import static org.sipbridge.sip.LoopbackBridge.VPN;
import static org.sipbridge.sip.LoopbackBridge.withSdp;

import ch.qos.logback.classic.Level;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipbridge.sip.TextSipPeer.Message;

/**
 * RFC 3261 §18.1.1 on loopback: with UDP configured toward the PBX, an INVITE over 1300 bytes
 * (many codecs, SRTP crypto lines, video) reaches the PBX over TCP when its port takes TCP, and
 * is refused with 513 (logged, a status warning) when it does not; small requests stay on UDP.
 */
class LargeRequestsIT {

    private LoopbackBridge bridge;
    private TcpPbx tcp;

    @AfterEach
    void stop() throws IOException {
        if (bridge != null) {
            bridge.close();
        }
        if (tcp != null) {
            tcp.close();
        }
    }

    /** An offer of audio and video with many codecs and SRTP keys: well over 1300 bytes. */
    private static String largeSdp() {
        StringBuilder sdp = new StringBuilder("v=0\no=phone 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\n"
                + "m=audio 40000 RTP/SAVP 0 8 9 18 96 97 98 99 100 101 102 103\n");
        for (int pt = 96; pt <= 103; pt++) {
            sdp.append("a=rtpmap:")
                    .append(pt)
                    .append(" opus/48000/2\na=fmtp:")
                    .append(pt)
                    .append(" maxplaybackrate=48000;stereo=1;useinbandfec=1\n");
        }
        for (int tag = 1; tag <= 4; tag++) {
            sdp.append("a=crypto:")
                    .append(tag)
                    .append(" AES_CM_128_HMAC_SHA1_80 inline:")
                    .append("WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVzcyAoZ")
                    .append(tag)
                    .append("|2^20|1:32\n");
        }
        sdp.append("m=video 40002 RTP/SAVP 109 110\na=rtpmap:109 H264/90000\na=fmtp:109 profile-level-id=42e01f\n"
                + "a=rtpmap:110 VP8/90000\n");
        return sdp.toString();
    }

    private String largeInvite(String callId) {
        return withSdp(
                "INVITE sip:2000@sipbridge.lab SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + bridge.phone.port()
                        + ";branch=z9hG4bK-" + callId
                        + "\nFrom: <sip:1001@sipbridge.lab>;tag=lt\nTo: <sip:2000@sipbridge.lab>\n"
                        + "Call-ID: " + callId + "@phone\nCSeq: 1 INVITE\nContact: <" + bridge.phoneUri()
                        + ">\nMax-Forwards: 70\n",
                largeSdp());
    }

    private void start(boolean pbxTakesTcp) throws Exception {
        int port = Loopback.freePort(PBX);
        if (pbxTakesTcp) {
            tcp = new TcpPbx(port);
        }
        bridge = new LoopbackBridge(new TextSipPeer(PBX, port), true);
        bridge.register("");
    }

    @Test
    void aLargeInviteGoesOverTcpToAServerThatTakesIt() throws Exception {
        start(true);
        bridge.phone.send(largeInvite("big-1"), bridge.lanSide());
        TcpPbx.Received invite = tcp.receive();
        assertNotNull(invite, "no INVITE over TCP");
        assertEquals("INVITE sip:2000@sipbridge.lab SIP/2.0", invite.message().startLine());
        assertTrue(
                invite.message().text().length() > 1300,
                "not a large request: " + invite.message().text().length());
        assertTrue(
                invite.message().header("Via").startsWith("SIP/2.0/TCP " + VPN + ":" + bridge.port),
                invite.message().header("Via"));
        assertTrue(
                invite.message().text().contains("a=crypto:4 AES_CM_128_HMAC_SHA1_80"),
                invite.message().text());

        invite.reply(withSdp(
                TextSipPeer.response(
                                invite.message(),
                                "200 OK",
                                "Contact: <sip:2000@" + PBX + ":" + bridge.pbx.port() + ">\n")
                        .replace("Content-Length: 0\n\n", ""),
                largeSdp().replace("127.0.0.1", PBX)));
        Message ok = bridge.phone.receiveAfterTrying();
        assertEquals(200, ok.status(), ok.text());

        // The dialog goes on, whichever transport jain-sip picks for it.
        String dialog = "From: <sip:1001@sipbridge.lab>;tag=lt\nTo: " + ok.header("To") + "\nCall-ID: big-1@phone\n"
                + "Max-Forwards: 70\n";
        String bridgeTarget = LoopbackBridge.uriOf(ok.header("Contact"));
        bridge.phone.send(
                "ACK " + bridgeTarget + " SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + bridge.phone.port()
                        + ";branch=z9hG4bK-a1\n" + dialog + "CSeq: 1 ACK\nContent-Length: 0\n\n",
                bridge.lanSide());
        assertEquals("ACK", pbxReceives().method());
        bridge.phone.send(
                "BYE " + bridgeTarget + " SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + bridge.phone.port()
                        + ";branch=z9hG4bK-b1\n" + dialog + "CSeq: 2 BYE\nContent-Length: 0\n\n",
                bridge.lanSide());
        Message bye = pbxReceives();
        assertEquals("BYE", bye.method());
        pbxAnswers(bye, TextSipPeer.response(bye, "200 OK", ""));
        assertEquals(200, bridge.phone.receive().status());
        assertEquals(1, bridge.media.released.get());
    }

    private TcpPbx.Received lastOverTcp;

    /** The PBX's next message, over TCP or UDP. */
    private Message pbxReceives() throws Exception {
        lastOverTcp = tcp.receive(1);
        return lastOverTcp != null ? lastOverTcp.message() : bridge.pbx.receive();
    }

    private void pbxAnswers(Message request, String response) throws Exception {
        if (lastOverTcp != null) {
            lastOverTcp.reply(response);
        } else {
            bridge.pbx.send(response, request.from());
        }
    }

    @Test
    void aLargeInviteIsRefusedWith513WhenTheServerTakesNoTcpAndTheStatusSaysWhy() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            start(false);
            assertEquals(List.of(), bridge.relay.reasons(), "no warning before a request had to be refused");
            for (String call : List.of("big-2", "big-3")) {
                bridge.phone.send(largeInvite(call), bridge.lanSide());
                Message refused = bridge.phone.receiveAfterTrying();
                assertEquals(513, refused.status(), refused.text());
                ack(refused, call);
            }
            assertTrue(bridge.pbx.silentFor(1000), "the refused INVITE must not reach the PBX as fragments over UDP");
            List<String> warnings = logs.events().stream()
                    .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)
                            && e.getLoggerName().endsWith("LargeRequests"))
                    .map(e -> e.getFormattedMessage())
                    .toList();
            assertEquals(3, warnings.size(), "the failed TCP connect, then each refusal: " + warnings);
            assertTrue(
                    warnings.get(0)
                            .startsWith("Server " + PBX + ":" + bridge.pbx.port() + " does not take SIP over TCP"),
                    warnings.get(0));
            assertTrue(
                    warnings.get(1)
                            .startsWith("Refused an INVITE to server " + PBX + ":" + bridge.pbx.port()
                                    + " with 513 Message Too Large"),
                    warnings.get(1));
            String status = bridge.relay.reasons().toString();
            assertTrue(
                    status.contains("Server " + PBX + ":" + bridge.pbx.port() + " takes no SIP over TCP, so the bridge "
                            + "refused an INVITE of "),
                    status);
        }
    }

    /** The phone ACKs a final non-2xx answer (same branch as its INVITE). */
    private void ack(Message refused, String callId) throws IOException {
        bridge.phone.send(
                "ACK sip:2000@sipbridge.lab SIP/2.0\nVia: SIP/2.0/UDP " + LAN + ":" + bridge.phone.port()
                        + ";branch=z9hG4bK-" + callId + "\nFrom: <sip:1001@sipbridge.lab>;tag=lt\nTo: "
                        + refused.header("To")
                        + "\nCall-ID: " + callId + "@phone\nCSeq: 1 ACK\nMax-Forwards: 70\nContent-Length: 0\n\n",
                bridge.lanSide());
    }

    /** The PBX's TCP side: every message on every accepted connection, with a way to answer on it. */
    private static final class TcpPbx implements AutoCloseable {

        record Received(Message message, Socket connection) {
            void reply(String text) throws IOException {
                connection.getOutputStream().write(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
            }
        }

        private final ServerSocket server;
        private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        private final List<Socket> connections = new ArrayList<>();

        TcpPbx(int port) throws IOException {
            server = new ServerSocket(port, 10, InetAddress.getByName(PBX));
            Thread accepting = new Thread(this::accept, "tcp-pbx");
            accepting.setDaemon(true);
            accepting.start();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket connection = server.accept();
                    synchronized (connections) {
                        connections.add(connection);
                    }
                    Thread reading = new Thread(() -> read(connection), "tcp-pbx-read");
                    reading.setDaemon(true);
                    reading.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        /** Reads messages framed by Content-Length; keepalive line breaks are skipped. */
        private void read(Socket connection) {
            try (InputStream in = connection.getInputStream()) {
                while (true) {
                    ByteArrayOutputStream head = new ByteArrayOutputStream();
                    int b;
                    while ((b = in.read()) >= 0) {
                        if (head.size() == 0 && (b == '\r' || b == '\n')) {
                            continue;
                        }
                        head.write(b);
                        if (head.toString(StandardCharsets.UTF_8).endsWith("\r\n\r\n")) {
                            break;
                        }
                    }
                    if (b < 0) {
                        return;
                    }
                    String text = head.toString(StandardCharsets.UTF_8);
                    Message headers = TextSipPeer.parse(text, (InetSocketAddress) connection.getRemoteSocketAddress());
                    int length = Integer.parseInt(headers.header("Content-Length"));
                    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                    received.add(new Received(
                            TextSipPeer.parse(text + body, (InetSocketAddress) connection.getRemoteSocketAddress()),
                            connection));
                }
            } catch (IOException | RuntimeException e) {
                // connection closed
            }
        }

        /** The next message that is not an OPTIONS probe (those are answered), or null after 5 s. */
        Received receive() throws Exception {
            return receive(5);
        }

        Received receive(int seconds) throws Exception {
            while (true) {
                Received next = received.poll(seconds, TimeUnit.SECONDS);
                if (next == null || !"OPTIONS".equals(next.message().method())) {
                    return next;
                }
                next.reply(TextSipPeer.response(next.message(), "200 OK", ""));
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            synchronized (connections) {
                for (Socket connection : connections) {
                    connection.close();
                }
            }
        }
    }
}
