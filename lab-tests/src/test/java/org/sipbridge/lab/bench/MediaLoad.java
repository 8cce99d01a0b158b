package org.sipbridge.lab.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Load generator of the media benchmark (lab/bench/media-bench.sh): sets up N G.711 streams through a
 * relay over the ng control protocol (offer from the "phone" socket, answer from the "PBX" socket),
 * sends 172-byte RTP packets (12-byte header + 160 bytes of µ-law) every 20 ms per stream with the
 * streams' start times spread evenly over the 20 ms, and receives what the relay forwards. With
 * {@code --tick-ms T} the packets go out in T ms ticks (all those due within a tick at its start, back to
 * back), as a media server's packetisation timer sends them; 0 sends each at its own time. With
 * {@code --fixed LAN:VPN:FIRST_PORT} instead of {@code --ng}, the relay is one without a control protocol
 * (the C reference relay, lab/bench/udp-relay): stream i goes through port FIRST_PORT + i of both addresses.
 *
 * <p>Each packet carries its send time (System.nanoTime) in its payload, so added latency = receive time
 * − send time (the relay plus two loopback hops and this process's wake-ups, the same for every relay).
 * Only packets sent inside the measured window (after the warm-up) count; the relay's CPU is read from
 * /proc/&lt;pid&gt;/stat (utime+stime of all its threads) at the window's edges. Prints and appends one
 * {@code key=value} line per run to {@code --result}.
 */
public final class MediaLoad {

    private static final int PACKET_BYTES = 172;
    private static final long PACKET_INTERVAL_NANOS = 20_000_000;
    private static final Pattern PORT = Pattern.compile("(?m)^m=audio (\\d+) ");
    private static final Pattern ADDRESS = Pattern.compile("(?m)^c=IN IP4 (\\S+)");

    private MediaLoad() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String label = options.get("label");
        int streams = Integer.parseInt(options.get("streams"));
        long warmupNanos = (long) (Double.parseDouble(options.getOrDefault("warmup", "5")) * 1e9);
        long measureNanos = (long) (Double.parseDouble(options.getOrDefault("measure", "20")) * 1e9);
        long relayPid = Long.parseLong(options.get("pid"));
        int clockTicks = Integer.parseInt(options.getOrDefault("clk-tck", "100"));
        String host = options.getOrDefault("addr", "127.0.0.1");
        String[] ng = options.getOrDefault("ng", "").split(":");

        DatagramChannel phone = DatagramChannel.open().bind(new InetSocketAddress(host, 0));
        DatagramChannel pbx = DatagramChannel.open().bind(new InetSocketAddress(host, 0));
        pbx.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
        phone.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        int phonePort = ((InetSocketAddress) phone.getLocalAddress()).getPort();
        int pbxPort = ((InetSocketAddress) pbx.getLocalAddress()).getPort();

        String runId = label + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        List<InetSocketAddress> targets = new ArrayList<>();
        List<InetSocketAddress> pbxSides = new ArrayList<>();
        // --fixed LAN:VPN:FIRST_PORT: a relay without a control protocol (lab/bench/udp-relay), stream i on
        // port FIRST_PORT + i of both addresses; otherwise each stream is set up over ng.
        String[] fixed = options.containsKey("fixed") ? options.get("fixed").split(":") : null;
        try (NgClient control =
                fixed != null ? null : new NgClient(new InetSocketAddress(ng[0], Integer.parseInt(ng[1])))) {
            for (int i = 0; i < streams; i++) {
                if (fixed != null) {
                    int port = Integer.parseInt(fixed[2]) + i;
                    targets.add(new InetSocketAddress(fixed[0], port));
                    pbxSides.add(new InetSocketAddress(fixed[1], port));
                    continue;
                }
                String callId = runId + "-" + i;
                String offered = (String) control.call(Map.of(
                                "command",
                                "offer",
                                "call-id",
                                callId,
                                "from-tag",
                                "phone" + i,
                                "sdp",
                                sdp(host, phonePort, i)))
                        .get("sdp");
                pbxSides.add(new InetSocketAddress(match(ADDRESS, offered), Integer.parseInt(match(PORT, offered))));
                String answered = (String) control.call(Map.of(
                                "command",
                                "answer",
                                "call-id",
                                callId,
                                "from-tag",
                                "phone" + i,
                                "to-tag",
                                "pbx" + i,
                                "sdp",
                                sdp(host, pbxPort, i)))
                        .get("sdp");
                targets.add(new InetSocketAddress(match(ADDRESS, answered), Integer.parseInt(match(PORT, answered))));
            }

            // In a real call the PBX side sends too, within 20 ms of the answer: one packet per stream from
            // the "PBX" socket lets each relay learn (latch) that peer as it would in a call.
            ByteBuffer hello = ByteBuffer.allocate(PACKET_BYTES);
            hello.put(0, (byte) 0x80);
            for (int i = 0; i < streams; i++) {
                hello.clear();
                hello.putInt(8, 0x10000 + i);
                pbx.send(hello, pbxSides.get(i));
            }
            Thread.sleep(200);

            Receiver receiver = new Receiver(pbx);
            Thread receiving = new Thread(receiver, "receive");
            receiving.setDaemon(true);
            receiving.start();

            long start = System.nanoTime();
            long windowStart = start + warmupNanos;
            long windowEnd = windowStart + measureNanos;
            receiver.window(windowStart, windowEnd);
            long spacing = PACKET_INTERVAL_NANOS / streams;
            long tickNanos = (long) (Double.parseDouble(options.getOrDefault("tick-ms", "0")) * 1e6);
            ByteBuffer packet = ByteBuffer.allocateDirect(PACKET_BYTES);
            long cpuBefore = -1;
            long cpuAfter;
            long waitBefore = 0;
            long waitAfter;
            long sentInWindow = 0;
            for (long j = 0; ; j++) {
                long due = start + j * spacing;
                if (due >= windowEnd) {
                    cpuAfter = cpuTicks(relayPid);
                    waitAfter = runQueueWaitNanos(relayPid);
                    break;
                }
                // With a tick, every packet due within one tick goes out at its start, back to back.
                long wake = tickNanos > 0 ? start + (due - start) / tickNanos * tickNanos : due;
                long now = System.nanoTime();
                if (wake > now) {
                    LockSupport.parkNanos(wake - now);
                }
                if (cpuBefore < 0 && due >= windowStart) {
                    cpuBefore = cpuTicks(relayPid);
                    waitBefore = runQueueWaitNanos(relayPid);
                }
                int stream = (int) (j % streams);
                long round = j / streams;
                packet.clear();
                packet.put(0, (byte) 0x80)
                        .put(1, (byte) 0) // V=2, PT 0 (PCMU)
                        .putShort(2, (short) round)
                        .putInt(4, (int) (round * 160))
                        .putInt(8, stream + 1);
                long sentAt = System.nanoTime();
                packet.putLong(12, sentAt).putInt(20, stream);
                phone.send(packet, targets.get(stream));
                if (sentAt >= windowStart
                        && sentAt < windowEnd) { // the receiver's test, so both count the same packets
                    sentInWindow++;
                }
            }
            Thread.sleep(1000); // stragglers
            long received = receiver.receivedInWindow();
            Histogram latency = receiver.latency();
            long lost = sentInWindow - received;
            double cpuMicros = (cpuAfter - cpuBefore) * 1e6 / clockTicks;
            // How long the relay's threads were ready to run but waited for the CPU (other processes, or its
            // own other threads): where this is high, its latency tail says more about the machine.
            double waitMs = (waitAfter - waitBefore) / 1e6;
            String line = String.format(
                    Locale.ROOT,
                    "relay=%s round=%s streams=%d measure_s=%.0f sent=%d received=%d lost=%d loss_pct=%.4f cpu_ms=%.0f"
                            + " cpu_us_per_packet=%.2f p50_us=%.0f p99_us=%.0f p999_us=%.0f max_us=%.0f"
                            + " wait_ms=%.1f",
                    label,
                    options.getOrDefault("round", "1"),
                    streams,
                    measureNanos / 1e9,
                    sentInWindow,
                    received,
                    lost,
                    100.0 * lost / sentInWindow,
                    cpuMicros / 1000,
                    cpuMicros / Math.max(1, received),
                    latency.getValueAtPercentile(50) / 1e3,
                    latency.getValueAtPercentile(99) / 1e3,
                    latency.getValueAtPercentile(99.9) / 1e3,
                    latency.getMaxValue() / 1e3,
                    waitMs);
            System.out.println(line);
            if (options.containsKey("result")) {
                Files.writeString(
                        Path.of(options.get("result")),
                        line + "\n",
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            for (int i = 0; control != null && i < streams; i++) {
                control.call(Map.of("command", "delete", "call-id", runId + "-" + i, "from-tag", "phone" + i));
            }
        }
    }

    private static String sdp(String host, int port, int stream) {
        return "v=0\r\no=- " + (1000 + stream) + " 1 IN IP4 " + host + "\r\ns=-\r\nc=IN IP4 " + host
                + "\r\nt=0 0\r\nm=audio " + port + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";
    }

    private static String match(Pattern pattern, String sdp) {
        Matcher matcher = pattern.matcher(sdp);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + pattern + " in the relay's SDP:\n" + sdp);
        }
        return matcher.group(1);
    }

    /** utime + stime of every thread of the process, in clock ticks. */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * Run-queue wait of the process's live threads, in ns: field 2 of /proc/&lt;pid&gt;/task/&lt;tid&gt;/schedstat
     * (time ready to run but not running). Precise, unlike the per-CPU tick counts of /proc/stat, which on
     * this kind of VM showed a core 8 % busy while the relay alone used 20 % of it.
     */
    static long runQueueWaitNanos(long pid) throws IOException {
        long total = 0;
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    total += Long.parseLong(
                            Files.readString(task.resolve("schedstat")).trim().split(" ")[1]);
                } catch (java.nio.file.NoSuchFileException exited) {
                    // a thread that ended between the listing and the read
                }
            }
        }
        return total;
    }

    /** Receives the relayed packets and records the latency of those sent inside the window. */
    private static final class Receiver implements Runnable {
        private final DatagramChannel channel;
        private final Histogram latency = new Histogram(3);
        private volatile long windowStart = Long.MAX_VALUE;
        private volatile long windowEnd = Long.MAX_VALUE;
        private long received;

        Receiver(DatagramChannel channel) {
            this.channel = channel;
        }

        void window(long start, long end) {
            windowStart = start;
            windowEnd = end;
        }

        @Override
        public void run() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
            try {
                while (true) {
                    buffer.clear();
                    channel.receive(buffer);
                    long now = System.nanoTime();
                    if (buffer.position() < 24) {
                        continue;
                    }
                    long sentAt = buffer.getLong(12);
                    if (sentAt >= windowStart && sentAt < windowEnd) {
                        synchronized (this) {
                            received++;
                            latency.recordValue(Math.max(0, now - sentAt));
                        }
                    }
                }
            } catch (IOException e) {
                System.err.println("receiver: " + e);
            }
        }

        synchronized long receivedInWindow() {
            return received;
        }

        synchronized Histogram latency() {
            return latency.copy();
        }
    }
}
