package org.sipbridge.rtp.capture;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.sipbridge.config.CaptureCipherSuite;
import org.sipbridge.config.MediaSettings;
import org.sipbridge.contract.files.OwnerOnly;
import org.sipbridge.rtp.relay.PacketTap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Diagnostic captures ({@code media.rtpDiagnosticCaptureEnabled}): each call started while it is on
 * gets a pcap file {@code <CallID>_<ResourceID>_<random>.pcap} in the log folder with every packet
 * the relay forwards, as received and as sent. The event loop only copies the packet into the
 * {@link CaptureRing}; one writer thread seals and writes the records. A slow or full disk drops
 * capture records (counted), never voice. The writer starts with the first capture and, while no
 * capture is open, sleeps until one is (captures are off by default: no thread, no wake-ups). The
 * ring (6 MiB) is allocated with the writer: with captures off it would be most of the idle heap (#19).
 */
public final class DiagnosticCaptures implements PacketTap.Factory, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DiagnosticCaptures.class);
    private static final int RING_SLOTS = 4096;
    private static final int SLOT_BYTES = 1536;
    private static final long IDLE_CLOSE_NANOS = 30_000_000_000L;

    private final Path logDir;
    private final Path dataDir;
    private final Supplier<MediaSettings> settings;
    /** Made with the writer (it is 6 MiB); null until the first capture. */
    private volatile CaptureRing ring;

    private final Map<Integer, CaptureFile> captures = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final AtomicLong writeFailures = new AtomicLong();
    private final long baseMicros = System.currentTimeMillis() * 1000;
    private final long baseNanos = System.nanoTime();
    private Thread writer;
    private volatile boolean running = true;

    public DiagnosticCaptures(Path logDir, Path dataDir, Supplier<MediaSettings> settings) {
        this.logDir = logDir;
        this.dataDir = dataDir;
        this.settings = settings;
    }

    /**
     * The writer and its ring, both made on first use; the writer is woken whenever a capture opens
     * (it sleeps while none is). Returns the ring.
     */
    private synchronized CaptureRing wakeWriter() {
        if (writer == null) {
            CaptureRing made = new CaptureRing(RING_SLOTS, SLOT_BYTES);
            ring = made;
            writer = new Thread(() -> writeLoop(made), "rtp-capture-writer");
            writer.setDaemon(true);
            writer.start();
        } else {
            LockSupport.unpark(writer);
        }
        return ring;
    }

    @Override
    public PacketTap forSession(String callId) {
        MediaSettings media = settings.get();
        if (!media.rtpDiagnosticCaptureEnabled()) {
            return null;
        }
        int id = nextId.getAndIncrement();
        captures.put(id, new CaptureFile(id, callId, media.rtpDiagnosticCaptureCipherSuite()));
        CaptureRing ring = wakeWriter();
        return (point, sender, ingress, egress, destination, packet) -> {
            long micros = baseMicros + (System.nanoTime() - baseNanos) / 1000;
            ring.offer(id, micros, ip(sender), sender.getPort(), ip(ingress), ingress.getPort(), packet);
            if (destination != null) {
                ring.offer(id, micros, ip(egress), egress.getPort(), ip(destination), destination.getPort(), packet);
            }
        };
    }

    /** The IPv4 address as an int without allocating: Inet4Address's hash code is its address. */
    private static int ip(InetSocketAddress address) {
        return address.getAddress().hashCode();
    }

    /** Capture records lost since start: the ring was full (writer behind) or the disk refused them. */
    public long dropped() {
        CaptureRing made = ring;
        return (made == null ? 0 : made.dropped()) + writeFailures.get();
    }

    private void writeLoop(CaptureRing ring) {
        byte[] packet = new byte[Pcap.IP_UDP_HEADERS + SLOT_BYTES];
        ByteBuffer headers = ByteBuffer.wrap(packet);
        CaptureRing.Reader reader = (id, micros, srcIp, srcPort, dstIp, dstPort, data, length, original) -> {
            CaptureFile file = captures.get(id);
            if (file == null) {
                return;
            }
            headers.clear();
            Pcap.ipUdpHeaders(headers, srcIp, srcPort, dstIp, dstPort, original);
            System.arraycopy(data, 0, packet, Pcap.IP_UDP_HEADERS, length);
            if (!file.append(micros, packet, Pcap.IP_UDP_HEADERS + length, Pcap.IP_UDP_HEADERS + original)) {
                writeFailures.incrementAndGet();
            }
        };
        while (running || ring.poll(reader)) {
            boolean any = false;
            while (ring.poll(reader)) {
                any = true;
            }
            if (any) {
                captures.values().forEach(CaptureFile::flush);
            } else {
                closeIdle();
                if (captures.isEmpty()) {
                    LockSupport.park(
                            this); // forSession() and close() unpark; a permit given before this returns at once
                } else {
                    LockSupport.parkNanos(2_000_000);
                }
            }
        }
        captures.values().forEach(CaptureFile::close);
    }

    private void closeIdle() {
        long now = System.nanoTime();
        captures.values().removeIf(file -> file.idleSince(now) > IDLE_CLOSE_NANOS && file.close());
    }

    @Override
    public void close() {
        running = false;
        Thread started;
        synchronized (this) {
            started = writer;
        }
        if (started == null) {
            return;
        }
        LockSupport.unpark(started);
        try {
            started.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One call's capture: opened by the writer on its first record. Writer thread only. */
    private final class CaptureFile {
        private final int id;
        private final String callId;
        private final CaptureCipherSuite suite;
        private OutputStream out;
        private RecordSeal seal;
        private long records;
        private long lastWrite = System.nanoTime();
        private boolean failed;

        CaptureFile(int id, String callId, CaptureCipherSuite suite) {
            this.id = id;
            this.callId = callId;
            this.suite = suite;
        }

        boolean append(long micros, byte[] packet, int length, int originalLength) {
            if (failed) {
                return false;
            }
            try {
                if (out == null) {
                    open();
                }
                ByteBuffer header = ByteBuffer.allocate(Pcap.RECORD_HEADER);
                if (seal == null) {
                    Pcap.recordHeader(header, micros, length, originalLength);
                    out.write(header.array());
                    out.write(packet, 0, length);
                } else {
                    byte[] sealed = seal.seal(records, micros, packet, length);
                    Pcap.recordHeader(header, micros, sealed.length, sealed.length);
                    out.write(header.array());
                    out.write(sealed);
                }
                records++;
                lastWrite = System.nanoTime();
                return true;
            } catch (IOException | GeneralSecurityException e) {
                failed = true;
                log.warn("Capture of call {} stopped: {}", callId, e.getMessage());
                return false;
            }
        }

        private void open() throws IOException, GeneralSecurityException {
            OwnerOnly.directory(logDir); // captures hold call audio: owner-only whatever the umask
            String name =
                    safe(callId) + "_" + id + "_" + java.util.HexFormat.of().formatHex(MasterKey.random(4)) + ".pcap";
            Path file = logDir.resolve(name);
            byte[] salt = MasterKey.random(8);
            byte[] encryption =
                    RecordSeal.encrypts(suite) ? MasterKey.random(RecordSeal.encryptionKeyLength(suite)) : null;
            byte[] authentication = suite == CaptureCipherSuite.NULL_NULL ? null : MasterKey.random(32);
            MasterKey master = suite == CaptureCipherSuite.NULL_NULL ? null : MasterKey.loadOrCreate(dataDir);
            new Sidecar(
                            callId,
                            id,
                            Instant.now().toString(),
                            suite,
                            Sidecar.base64(salt),
                            encryption == null ? null : Sidecar.base64(master.wrap(encryption)),
                            authentication == null ? null : Sidecar.base64(master.wrap(authentication)),
                            master == null ? null : MasterKey.FILE_NAME,
                            Sidecar.FORMAT)
                    .write(file);
            seal = authentication == null ? null : new RecordSeal(suite, encryption, authentication, salt);
            out = new BufferedOutputStream(OwnerOnly.newOutputStream(file), 1 << 16);
            ByteBuffer header = ByteBuffer.allocate(Pcap.FILE_HEADER);
            Pcap.fileHeader(header, seal == null ? Pcap.LINKTYPE_RAW : Pcap.LINKTYPE_USER0);
            out.write(header.array());
            log.info("Capturing call {} to {} ({})", callId, file, suite);
        }

        void flush() {
            if (out != null && !failed) {
                try {
                    out.flush();
                } catch (IOException e) {
                    failed = true;
                    log.warn("Capture of call {} stopped: {}", callId, e.getMessage());
                }
            }
        }

        long idleSince(long now) {
            return now - lastWrite;
        }

        boolean close() {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException e) {
                    log.debug("Closing the capture of call {}: {}", callId, e.getMessage());
                }
                out = null;
            }
            return true;
        }
    }

    /** A Call-ID as part of a file name: no separators, no dots leading anywhere, bounded. */
    static String safe(String callId) {
        String cleaned = callId.replaceAll("[^A-Za-z0-9@._-]", "_").replace("..", "_");
        return cleaned.length() > 80 ? cleaned.substring(0, 80) : cleaned;
    }
}
