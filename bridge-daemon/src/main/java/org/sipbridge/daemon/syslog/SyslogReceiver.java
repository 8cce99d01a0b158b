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
import java.util.function.LongSupplier;
import org.sipbridge.contract.metrics.Metric;
import org.sipbridge.contract.metrics.MetricSource;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.contract.service.BridgeService;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.service.StartFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the phones' syslog on UDP at the LAN adapter's address (never all interfaces) and hands
 * one line per datagram, with the sender's address, to {@code sink} (the daemon writes them to
 * syslog.log). One thread: phones send a few lines a second at most.
 *
 * <p>Only datagrams from the LAN subnet, of at most 2048 bytes and within a per-sender and a total
 * rate are written ({@link SyslogAdmission}); the rest are counted per reason ({@link #droppedOutsideLan()} and its siblings).
 */
public final class SyslogReceiver implements BridgeService, MetricSource {

    private static final Logger log = LoggerFactory.getLogger(SyslogReceiver.class);

    private final InetSocketAddress address;
    private final Consumer<String> sink;
    private final SyslogAdmission admission;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private DatagramSocket socket;
    private Thread reader;

    /** Listens on {@code lan}'s address and accepts senders inside its subnet only. */
    public SyslogReceiver(Ipv4Subnet lan, int port, Consumer<String> sink) {
        this(lan, port, sink, System::nanoTime);
    }

    SyslogReceiver(Ipv4Subnet lan, int port, Consumer<String> sink, LongSupplier nanoClock) {
        this.address = new InetSocketAddress(Ipv4Subnet.parseAddress(lan.addressText()), port);
        this.sink = sink;
        this.admission = new SyslogAdmission(lan, nanoClock);
    }

    /** Phone logs are diagnostics only: a warning. */
    public static final StartFailure START_FAILURE =
            StartFailure.warning("Another program uses the syslog port: stop it, or change diagnostics.syslogPort.");

    @Override
    public StartFailure startFailure() {
        return START_FAILURE;
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
            BindException clear = new BindException("cannot listen on UDP "
                    + address.getAddress().getHostAddress() + ":" + address.getPort() + ": " + e.getMessage());
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
        // One byte more than accepted, so that a longer datagram shows as too large instead of cut short.
        byte[] buffer = new byte[SyslogAdmission.MAX_DATAGRAM + 1];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!bound.isClosed()) {
            try {
                packet.setLength(buffer.length);
                bound.receive(packet);
                SyslogAdmission.Verdict verdict = admission.admit(ipv4(packet.getAddress()), packet.getLength());
                if (verdict != SyslogAdmission.Verdict.ACCEPTED) {
                    log.warn(
                            "Dropped a syslog datagram from {}: {}",
                            packet.getAddress().getHostAddress(),
                            describe(verdict));
                    continue;
                }
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

    private static int ipv4(InetAddress sender) {
        byte[] bytes = sender.getAddress();
        // An IPv4 socket only ever receives IPv4 senders; anything else counts as outside the LAN.
        return bytes.length != 4
                ? 0
                : ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
    }

    private static String describe(SyslogAdmission.Verdict verdict) {
        return switch (verdict) {
            case OUTSIDE_LAN -> "the sender is outside the LAN subnet";
            case TOO_LARGE -> "larger than " + SyslogAdmission.MAX_DATAGRAM + " bytes";
            case RATE_LIMITED -> "over the rate limit";
            case ACCEPTED -> "accepted";
        };
    }

    /** The bound port (the configured one, or the one the OS chose for port 0 in tests). */
    public synchronized int port() {
        return socket == null ? -1 : socket.getLocalPort();
    }

    public long received() {
        return received.get();
    }

    /** Datagrams refused: outside the LAN subnet, too large or over the rate limit. */
    public long droppedOutsideLan() {
        return admission.dropped(SyslogAdmission.Verdict.OUTSIDE_LAN);
    }

    public long droppedTooLarge() {
        return admission.dropped(SyslogAdmission.Verdict.TOO_LARGE);
    }

    public long droppedRateLimited() {
        return admission.dropped(SyslogAdmission.Verdict.RATE_LIMITED);
    }

    /** Datagrams that matched neither syslog grammar (kept as raw text). */
    public long malformed() {
        return malformed.get();
    }

    /** The syslog families of {@code /metrics}; the daemon shows them while the receiver runs. */
    @Override
    public List<Metric> metrics() {
        return List.of(
                Metric.counter("sipbridge_syslog_received_total", "Syslog datagrams received from the LAN", received()),
                Metric.counter(
                        "sipbridge_syslog_malformed_total",
                        "Syslog datagrams kept as raw text (no syslog header)",
                        malformed()),
                new Metric(
                        "sipbridge_syslog_dropped_total",
                        Metric.Type.COUNTER,
                        "Syslog datagrams refused, by reason (outside the LAN subnet, over 2048 bytes, over the rate limit)",
                        List.of(
                                Metric.Sample.labelled("reason", "outside_lan", droppedOutsideLan()),
                                Metric.Sample.labelled("reason", "too_large", droppedTooLarge()),
                                Metric.Sample.labelled("reason", "rate_limited", droppedRateLimited()))));
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
