package org.sipbridge.lab.bench;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Client side of rtpengine's ng control protocol: "cookie dict" request, "cookie dict" reply over UDP. */
final class NgClient implements AutoCloseable {

    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private long cookies;

    NgClient(InetSocketAddress server) throws IOException {
        this.server = server;
        this.socket = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0));
        socket.setSoTimeout(2000);
    }

    /** Sends one command and returns the reply dict; fails unless result=ok. Retries on a lost datagram. */
    @SuppressWarnings("unchecked")
    Map<String, Object> call(Map<String, Object> command) throws IOException {
        String cookie = "c" + (++cookies) + "_" + ProcessHandle.current().pid();
        byte[] body = Bencode.encode(command);
        byte[] request = new byte[cookie.length() + 1 + body.length];
        System.arraycopy((cookie + " ").getBytes(StandardCharsets.US_ASCII), 0, request, 0, cookie.length() + 1);
        System.arraycopy(body, 0, request, cookie.length() + 1, body.length);
        byte[] buffer = new byte[65536];
        for (int attempt = 0; attempt < 5; attempt++) {
            socket.send(new DatagramPacket(request, request.length, server));
            try {
                while (true) {
                    DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
                    socket.receive(reply);
                    String head = new String(
                            buffer, 0, Math.min(reply.getLength(), cookie.length() + 1), StandardCharsets.US_ASCII);
                    if (!head.equals(cookie + " ")) {
                        continue; // a late reply to an earlier attempt
                    }
                    Map<String, Object> dict = (Map<String, Object>)
                            Bencode.decode(java.util.Arrays.copyOf(buffer, reply.getLength()), cookie.length() + 1);
                    if (!"ok".equals(dict.get("result"))) {
                        throw new IOException("ng " + command.get("command") + " failed: " + dict);
                    }
                    return dict;
                }
            } catch (SocketTimeoutException e) {
                // resend
            }
        }
        throw new IOException("ng server " + server + " did not answer " + command.get("command"));
    }

    @Override
    public void close() {
        socket.close();
    }
}
