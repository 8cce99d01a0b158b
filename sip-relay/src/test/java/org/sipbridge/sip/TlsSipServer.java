package org.sipbridge.sip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A PBX on SIP over TLS for loopback tests: accepts connections with the given server context and
 * answers every request 200 OK (REGISTER with its Contact and expires), keeping the requests it
 * got so a test can look at them. Handshake failures leave the queue empty.
 */
public final class TlsSipServer implements AutoCloseable {

    private final SSLServerSocket server;
    private final BlockingQueue<TextSipPeer.Message> received = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    public TlsSipServer(SSLContext context, String address) throws IOException {
        server = (SSLServerSocket)
                context.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getByName(address));
        acceptor = new Thread(this::acceptAll, "tls-pbx");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The next request other than an OPTIONS probe, or null after {@code seconds}. */
    public TextSipPeer.Message nextRequest(int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        TextSipPeer.Message message;
        do {
            message = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } while (message != null && "OPTIONS".equals(message.method()));
        return message;
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread reader = new Thread(() -> serve(socket), "tls-pbx-conn");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket;
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream()) {
            InetSocketAddress from = (InetSocketAddress) socket.getRemoteSocketAddress();
            String text;
            while ((text = readMessage(in)) != null) {
                if (text.isBlank()) {
                    continue; // CRLF keepalive
                }
                TextSipPeer.Message request = TextSipPeer.parse(text, from);
                received.add(request);
                String extra = "REGISTER".equals(request.method())
                        ? "Contact: " + request.header("Contact") + ";expires=300\n"
                        : "";
                out.write(TextSipPeer.response(request, "200 OK", extra)
                        .replace("\n", "\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // handshake refused or connection closed: the test looks at what arrived
        }
    }

    /** Reads up to the blank line after the headers (requests here have no body). */
    private static String readMessage(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            bytes.write(b);
            String text = bytes.toString(StandardCharsets.UTF_8);
            if (text.equals("\r\n") || text.endsWith("\r\n\r\n")) {
                return text;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
