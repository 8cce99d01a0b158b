package org.sipbridge.sip.torture;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.sipbridge.sip.TextSipPeer;

/**
 * A SIP peer on one UDP socket that sends and receives exact bytes (the torture messages carry
 * NUL, DEL and binary bodies that a text peer would mangle). Received messages are also split into
 * start line and headers, read as ISO-8859-1 so every byte maps to one character.
 */
final class DatagramPeer implements AutoCloseable {

    /** One datagram: its bytes, and the same parsed for its start line and headers. */
    record Received(byte[] bytes, TextSipPeer.Message message) {

        String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }

        /** The bytes after the empty line that ends the headers. */
        byte[] body() {
            String text = text();
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? new byte[0] : Arrays.copyOfRange(bytes, end + 4, bytes.length);
        }
    }

    private final DatagramSocket socket;

    DatagramPeer(String address) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0));
    }

    int port() {
        return socket.getLocalPort();
    }

    String address() {
        return socket.getLocalAddress().getHostAddress();
    }

    /** host:port of this socket, as a Via sent-by or a Contact host. */
    String hostPort() {
        return address() + ":" + port();
    }

    void send(byte[] bytes, InetSocketAddress to) throws IOException {
        socket.send(new DatagramPacket(bytes, bytes.length, to));
    }

    /** Sends {@code text} with its line ends turned into CRLF. */
    void sendText(String text, InetSocketAddress to) throws IOException {
        send(text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1), to);
    }

    /** The next datagram within {@code millis}, or null. */
    Received poll(int millis) throws IOException {
        socket.setSoTimeout(millis);
        byte[] buffer = new byte[65536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return null;
        }
        byte[] bytes = Arrays.copyOf(buffer, packet.getLength());
        return new Received(bytes, TextSipPeer.parse(new String(bytes, StandardCharsets.ISO_8859_1), (InetSocketAddress)
                packet.getSocketAddress()));
    }

    @Override
    public void close() {
        socket.close();
    }
}
