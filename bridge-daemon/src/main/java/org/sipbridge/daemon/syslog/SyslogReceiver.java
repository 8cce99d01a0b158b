package org.sipbridge.daemon.syslog;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.sipbridge.config.service.BridgeService;
import org.sipbridge.config.service.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the phones' syslog on UDP at the LAN adapter's address (never all interfaces) and hands
 * one line per datagram, with the sender's address, to {@code sink} (the daemon writes them to
 * syslog.log). One thread: phones send a few lines a second at most.
 */
public final class SyslogReceiver implements BridgeService {

    private static final Logger log = LoggerFactory.getLogger(SyslogReceiver.class);

    private final InetSocketAddress address;
    private final Consumer<String> sink;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private DatagramSocket socket;
    private Thread reader;

    public SyslogReceiver(InetAddress lanAddress, int port, Consumer<String> sink) {
        this.address = new InetSocketAddress(lanAddress, port);
        this.sink = sink;
    }

    @Override
    public String name() {
        return "syslog-receiver";
    }

    @Override
    public synchronized void start() throws BindException, SocketException {
        try {
            socket = new DatagramSocket(address);
        } catch (BindException e) {
            BindException clear = new BindException("cannot listen on UDP " + address.getAddress().getHostAddress() + ":"
                    + address.getPort() + ": " + e.getMessage());
            clear.initCause(e);
            throw clear;
        }
        DatagramSocket bound = socket;
        reader = new Thread(() -> receive(bound), "syslog-receiver");
        reader.setDaemon(true);
        reader.start();
        log.info("Syslog receiver listening on UDP {}:{}", address.getAddress().getHostAddress(), bound.getLocalPort());
    }

    private void receive(DatagramSocket bound) {
        byte[] buffer = new byte[SyslogParser.MAX_TEXT];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!bound.isClosed()) {
            try {
                packet.setLength(buffer.length);
                bound.receive(packet);
                SyslogMessage message = SyslogParser.parse(buffer, packet.getLength());
                received.incrementAndGet();
                if (message.format() == SyslogMessage.Format.RAW) {
                    malformed.incrementAndGet();
                }
                sink.accept(message.line(packet.getAddress().getHostAddress()));
            } catch (IOException e) {
                if (!bound.isClosed()) {
                    log.debug("Syslog receive failed: {}", e.getMessage());
                }
            } catch (RuntimeException e) {
                // A sink failure must not end the loop; the datagram is lost, nothing else.
                log.warn("Could not write a syslog line", e);
            }
        }
    }

    /** The bound port (the configured one, or the one the OS chose for port 0 in tests). */
    public synchronized int port() {
        return socket == null ? -1 : socket.getLocalPort();
    }

    public long received() {
        return received.get();
    }

    /** Datagrams that matched neither syslog grammar (kept as raw text). */
    public long malformed() {
        return malformed.get();
    }

    @Override
    public synchronized void stop() {
        if (socket != null) {
            socket.close();
            socket = null;
        }
        if (reader != null) {
            try {
                reader.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reader = null;
        }
    }

    @Override
    public List<Reason> reasons() {
        return List.of();
    }
}
