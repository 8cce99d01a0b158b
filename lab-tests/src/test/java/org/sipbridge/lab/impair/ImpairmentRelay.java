package org.sipbridge.lab.impair;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A userspace stand-in for netem: a UDP relay between a media peer and its real socket that drops and
 * delays the packets the peer sends back. The lab has no netem (no sch_netem in its kernel), so a lab
 * test puts this process in the media path (the peer's SDP announces {@code --listen}) and compares
 * what the bridge reports with what this relay did.
 *
 * <p>Toward the target (the peer's real RTP socket) packets pass untouched; from the target back to the
 * first sender they are dropped with probability {@code --loss} % (seeded, so a run repeats) and
 * otherwise held {@code --delay-ms} plus a uniform extra of 0..{@code --jitter-ms}. The relay computes,
 * from the moments it actually sent each packet, the RFC 3550 A.8 jitter and the A.3 loss of what it
 * sent, i.e. what an ideal receiver next to it must measure, and writes them to {@code --stats}
 * (key=value lines) every 200 ms and on exit.
 *
 * <pre>java -cp lab-tests/target/test-classes org.sipbridge.lab.impair.ImpairmentRelay --listen 198.19.2.10:6100
 *   --target 198.19.2.10:6000 --loss 5 --delay-ms 5 --jitter-ms 12 --seed 42 --stats relay.stats</pre>
 */
public final class ImpairmentRelay {

    /** Packets kept whatever the dice say, so the receiver's source validation (RFC 3550 A.1) sees a clean start. */
    private static final int CLEAN_START = 5;

    private final DatagramChannel facingSender;
    private final DatagramChannel facingTarget;
    private final InetSocketAddress target;
    private final double lossProbability;
    private final long delayNanos;
    private final long jitterNanos;
    private final SplittableRandom random;
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "impair-send");
        thread.setDaemon(true);
        return thread;
    });
    private final long origin = System.nanoTime();
    private volatile SocketAddress senderAddress;

    // Impairment statistics, touched only by the impair-send thread (stats writes read them racily, fine for a report).
    private long received;
    private long dropped;
    private long forwarded;
    private final RtpReceiverStats sent;

    private ImpairmentRelay(
            InetSocketAddress listen,
            InetSocketAddress target,
            double lossPercent,
            double delayMs,
            double jitterMs,
            long seed,
            int clockRate)
            throws IOException {
        this.facingSender = DatagramChannel.open().bind(listen);
        this.facingTarget = DatagramChannel.open().bind(new InetSocketAddress(listen.getAddress(), 0));
        this.target = target;
        this.lossProbability = lossPercent / 100;
        this.delayNanos = (long) (delayMs * 1e6);
        this.jitterNanos = (long) (jitterMs * 1e6);
        this.random = new SplittableRandom(seed);
        this.sent = new RtpReceiverStats(clockRate);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        ImpairmentRelay relay = new ImpairmentRelay(
                address(options.get("listen")),
                address(options.get("target")),
                Double.parseDouble(options.getOrDefault("loss", "0")),
                Double.parseDouble(options.getOrDefault("delay-ms", "0")),
                Double.parseDouble(options.getOrDefault("jitter-ms", "0")),
                Long.parseLong(options.getOrDefault("seed", "1")),
                Integer.parseInt(options.getOrDefault("clock-rate", "8000")));
        Path stats = Path.of(options.getOrDefault("stats", "impairment.stats"));
        relay.sender.scheduleAtFixedRate(() -> relay.writeStats(stats), 200, 200, TimeUnit.MILLISECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> relay.writeStatsOnExit(stats)));
        Thread toTarget = new Thread(relay::forwardToTarget, "impair-to-target");
        toTarget.setDaemon(true);
        toTarget.start();
        System.out.println(
                "impairment relay listening on " + options.get("listen") + ", target " + options.get("target"));
        relay.impairFromTarget();
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** Sender → target, untouched; remembers the sender so the way back knows where to go. */
    private void forwardToTarget() {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        try {
            while (true) {
                buffer.clear();
                senderAddress = facingSender.receive(buffer);
                buffer.flip();
                facingTarget.send(buffer, target);
            }
        } catch (IOException e) {
            System.err.println("impairment relay: " + e);
        }
    }

    /** Target → sender: decide each packet's fate on arrival, send survivors when their delay is up. */
    private void impairFromTarget() throws IOException {
        while (true) {
            ByteBuffer buffer = ByteBuffer.allocate(2048);
            facingTarget.receive(buffer);
            buffer.flip();
            sender.execute(() -> decide(buffer));
        }
    }

    private void decide(ByteBuffer packet) {
        received++;
        if (received > CLEAN_START && random.nextDouble() < lossProbability) {
            dropped++;
            return;
        }
        long delay = delayNanos + (jitterNanos > 0 ? random.nextLong(jitterNanos + 1) : 0);
        sender.schedule(() -> send(packet), delay, TimeUnit.NANOSECONDS);
    }

    private void send(ByteBuffer packet) {
        SocketAddress to = senderAddress;
        if (to == null) {
            return;
        }
        try {
            facingSender.send(packet.duplicate(), to);
        } catch (IOException e) {
            return;
        }
        long now = System.nanoTime();
        forwarded++;
        if (packet.remaining() < 12) {
            return;
        }
        sent.arrived(packet.getShort(2) & 0xffff, packet.getInt(4) & 0xffffffffL, (now - origin) / 1e9);
    }

    private void writeStats(Path file) {
        String text = "received=" + received + "\ndropped=" + dropped + "\nforwarded=" + forwarded
                + "\nexpected=" + sent.expected() + "\nlost=" + sent.lost()
                + "\nlossPercent=" + sent.lossPercent()
                + "\njitterMs=" + sent.jitterMs() + "\n";
        try {
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temp, text);
            Files.move(
                    temp,
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("impairment relay: cannot write " + file + ": " + e);
        }
    }

    private void writeStatsOnExit(Path file) {
        try {
            sender.submit(() -> writeStats(file)).get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            writeStats(file);
        }
    }
}
