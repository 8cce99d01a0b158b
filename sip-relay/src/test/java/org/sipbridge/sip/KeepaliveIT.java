package org.sipbridge.sip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.persistence.ConfigJson;

/**
 * RFC 5626 §3.5.1: a phone on TCP pings with CRLF CRLF and the bridge answers CRLF (pong). Phones
 * ping a connection they have sent SIP on (jain-sip cannot answer a ping on a connection that has
 * not carried a message yet: it does not know the channel's transport then), so a request goes first.
 */
class KeepaliveIT extends RelayUnderTest {

    private static final String LAN = "127.0.0.1";
    private static final String VPN = "127.0.0.3";

    @Test
    void aCrlfPingOnTcpGetsAPong() throws Exception {
        int port = Loopback.freePort(LAN);
        BridgeConfig config = ConfigJson.parse("""
                {"bridge": {"servers": ["127.0.0.2:5060"], "lanAdapter": "%s", "vpnAdapter": "%s"},
                 "protocols": {"udp": {"port": %d}, "tcp": {"port": %d}, "tls": {"enabled": false}}}
                """.formatted(LAN, VPN, port, port));
        startRelay(config, LAN, VPN);
        try (Socket phone = new Socket()) {
            phone.connect(new InetSocketAddress(LAN, port), 2000);
            phone.setSoTimeout(5000);
            InputStream in = phone.getInputStream();
            send(
                    phone,
                    "OPTIONS sip:2000@sipbridge.lab SIP/2.0\r\nVia: SIP/2.0/TCP " + LAN + ":" + phone.getLocalPort()
                            + ";branch=z9hG4bK-ka1\r\nFrom: <sip:1001@sipbridge.lab>;tag=k\r\nTo: <sip:2000@sipbridge.lab>\r\n"
                            + "Call-ID: ka@phone\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
            String answer = readHeaders(in);
            assertTrue(answer.startsWith("SIP/2.0 403"), answer); // not registered: refused, but the connection stays
            send(phone, "\r\n\r\n");
            assertArrayEquals(new byte[] {'\r', '\n'}, in.readNBytes(2), "pong");
        }
    }

    private static void send(Socket socket, String text) throws java.io.IOException {
        socket.getOutputStream().write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** A response without body: everything up to the blank line. */
    private static String readHeaders(InputStream in) throws java.io.IOException {
        StringBuilder text = new StringBuilder();
        while (!text.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            text.append((char) b);
        }
        return text.toString();
    }
}
