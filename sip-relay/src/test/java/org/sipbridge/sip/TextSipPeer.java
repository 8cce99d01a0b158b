package org.sipbridge.sip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A minimal SIP endpoint on a UDP socket for loopback tests: plain text in, plain text out, so the
 * tests see exactly the bytes the bridge sends (the lab tests use SIPp and Kamailio instead).
 */
public final class TextSipPeer implements AutoCloseable {

    /** A received message: its start line, headers in order, and where it came from. */
    public record Message(String startLine, List<String[]> headers, String text, InetSocketAddress from) {

        public String header(String name) {
            return headers(name).stream().findFirst().orElse(null);
        }

        public List<String> headers(String name) {
            List<String> values = new ArrayList<>();
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name) || h[0].equalsIgnoreCase(compact(name))) {
                    values.add(h[1]);
                }
            }
            return values;
        }

        public String method() {
            return startLine.split(" ")[0];
        }

        public int status() {
            return startLine.startsWith("SIP/2.0") ? Integer.parseInt(startLine.split(" ")[1]) : -1;
        }

        private static String compact(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "via" -> "v";
                case "from" -> "f";
                case "to" -> "t";
                case "call-id" -> "i";
                case "contact" -> "m";
                case "content-length" -> "l";
                default -> name;
            };
        }
    }

    private final DatagramSocket socket;

    public TextSipPeer(String address) throws IOException {
        this(address, 0);
    }

    /** A peer on {@code port} of {@code address} (0: any free port). */
    public TextSipPeer(String address, int port) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), port));
        socket.setSoTimeout(5000);
    }

    public int port() {
        return socket.getLocalPort();
    }

    public String address() {
        return socket.getLocalAddress().getHostAddress();
    }

    public void send(String text, InetSocketAddress to) throws IOException {
        byte[] bytes = text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, to));
    }

    /** The next message that is not an OPTIONS probe (probes are answered 200 on the way). */
    public Message receive() throws IOException {
        while (true) {
            Message message = receiveAny();
            if (!"OPTIONS".equals(message.method())) {
                return message;
            }
            send(response(message, "200 OK", ""), message.from());
        }
    }

    /** The next message that is neither a 100 Trying nor an OPTIONS probe. */
    public Message receiveAfterTrying() throws IOException {
        Message message = receive();
        while (message.status() == 100) {
            message = receive();
        }
        return message;
    }

    public Message receiveAny() throws IOException {
        byte[] buffer = new byte[65536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        return parse(new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8), (InetSocketAddress)
                packet.getSocketAddress());
    }

    /** Splits a message's text (CRLF line ends) into start line and headers. */
    public static Message parse(String text, InetSocketAddress from) {
        String[] lines = text.split("\r\n");
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
            int colon = lines[i].indexOf(':');
            headers.add(new String[] {
                lines[i].substring(0, colon).trim(),
                lines[i].substring(colon + 1).trim()
            });
        }
        return new Message(lines[0], headers, text, from);
    }

    /** True when nothing but OPTIONS probes arrives within {@code millis}. */
    /** Every message that arrives within {@code millis}. */
    public List<Message> receivedWithin(int millis) throws IOException {
        List<Message> received = new ArrayList<>();
        long deadline = System.nanoTime() + millis * 1_000_000L;
        try {
            for (long left = millis; left > 0; left = (deadline - System.nanoTime()) / 1_000_000L) {
                socket.setSoTimeout((int) Math.max(1, left));
                received.add(receive());
            }
        } catch (SocketTimeoutException e) {
            // nothing more arrived
        } finally {
            socket.setSoTimeout(5000);
        }
        return received;
    }

    public boolean silentFor(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            receive();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(5000);
        }
    }

    /** A response to {@code request} with the transaction headers copied and {@code extra} added. */
    public static String response(Message request, String status, String extra) {
        StringBuilder out = new StringBuilder("SIP/2.0 ").append(status).append('\n');
        for (String via : request.headers("Via")) {
            out.append("Via: ").append(via).append('\n');
        }
        String to = request.header("To");
        out.append("From: ")
                .append(request.header("From"))
                .append('\n')
                .append("To: ")
                .append(to.contains("tag=") ? to : to + ";tag=pbx1")
                .append('\n')
                .append("Call-ID: ")
                .append(request.header("Call-ID"))
                .append('\n')
                .append("CSeq: ")
                .append(request.header("CSeq"))
                .append('\n')
                .append(extra)
                .append("Content-Length: 0\n\n");
        return out.toString();
    }

    @Override
    public void close() {
        socket.close();
    }
}
