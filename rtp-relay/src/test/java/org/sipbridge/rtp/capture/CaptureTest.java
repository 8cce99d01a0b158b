package org.sipbridge.rtp.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sipbridge.config.CaptureCipherSuite;
import org.sipbridge.config.MediaSettings;
import org.sipbridge.rtp.relay.PacketTap;

class CaptureTest {

    @TempDir
    Path dir;

    @Test
    void pcapHeadersAreWhatWiresharkReads() {
        ByteBuffer file = ByteBuffer.allocate(Pcap.FILE_HEADER);
        Pcap.fileHeader(file, Pcap.LINKTYPE_RAW);
        assertArrayEquals(
                new byte[] {
                    (byte) 0xd4,
                    (byte) 0xc3,
                    (byte) 0xb2,
                    (byte) 0xa1,
                    2,
                    0,
                    4,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    (byte) 0xff,
                    (byte) 0xff,
                    0,
                    0,
                    101,
                    0,
                    0,
                    0
                },
                file.array());
        ByteBuffer ip = ByteBuffer.allocate(Pcap.IP_UDP_HEADERS);
        // 198.18.1.10:7000 -> 198.18.1.1:16384, 172 bytes of RTP
        Pcap.ipUdpHeaders(ip, 0xc612010a, 7000, 0xc6120101, 16384, 172);
        ip.order(ByteOrder.BIG_ENDIAN);
        assertEquals(0x45, ip.get(0));
        assertEquals(200, ip.getShort(2));
        assertEquals(17, ip.get(9));
        assertEquals(0, Pcap.checksum(ip, 0, 20), "a correct IPv4 header checksums to zero");
        assertEquals(7000, ip.getShort(20) & 0xffff);
        assertEquals(180, ip.getShort(24));
    }

    @ParameterizedTest
    @EnumSource(
            value = CaptureCipherSuite.class,
            names = {"NULL_HMACSHA1", "AES128_HMACSHA1", "AES256_HMACSHA1"})
    void sealedRecordsOpenAndAnyChangeIsRefused(CaptureCipherSuite suite) throws Exception {
        byte[] enc = MasterKey.random(RecordSeal.encryptionKeyLength(suite));
        byte[] auth = MasterKey.random(32);
        byte[] salt = MasterKey.random(8);
        RecordSeal seal = new RecordSeal(suite, enc, auth, salt);
        byte[] packet = "RTP packet with some audio".getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = seal.seal(7, 123456, packet, packet.length);
        assertEquals(
                RecordSeal.encrypts(suite),
                !new String(sealed, StandardCharsets.ISO_8859_1).contains("some audio"),
                "encrypted only by AES suites");
        RecordSeal reader = new RecordSeal(suite, enc, auth, salt);
        assertArrayEquals(packet, reader.open(7, 123456, sealed));
        byte[] flipped = sealed.clone();
        flipped[12] ^= 1;
        assertThrows(CaptureRefusedException.class, () -> reader.open(7, 123456, flipped));
        assertThrows(CaptureRefusedException.class, () -> reader.open(7, 123457, sealed), "timestamp is authenticated");
        assertThrows(CaptureRefusedException.class, () -> reader.open(8, 123456, sealed), "a record out of place");
    }

    @Test
    void aFullRingDropsAndCountsInsteadOfWaiting() {
        CaptureRing ring = new CaptureRing(4, 64);
        ByteBuf packet = Unpooled.wrappedBuffer(new byte[100]);
        for (int i = 0; i < 4; i++) {
            assertTrue(ring.offer(1, i, 1, 2, 3, 4, packet));
        }
        assertFalse(ring.offer(1, 5, 1, 2, 3, 4, packet));
        assertEquals(1, ring.dropped());
        List<Integer> lengths = new ArrayList<>();
        while (ring.poll((id, micros, srcIp, srcPort, dstIp, dstPort, data, length, original) -> {
            lengths.add(length);
            assertEquals(100, original);
        })) {
            // drain
        }
        assertEquals(List.of(64, 64, 64, 64), lengths, "truncated to the slot, the original length kept");
        assertEquals(100, packet.readableBytes(), "the forwarded packet is not consumed");
        assertTrue(ring.offer(1, 6, 1, 2, 3, 4, packet), "room again after the writer drained");
    }

    @Test
    void withCapturesOffNoWriterThreadRuns() {
        MediaSettings off = new MediaSettings(
                true, 46, true, 46, "16384-32767", false, CaptureCipherSuite.NULL_NULL, 4, 7200, true);
        long before = captureWriters();
        try (DiagnosticCaptures captures = new DiagnosticCaptures(dir.resolve("logs"), dir, () -> off)) {
            assertEquals(null, captures.forSession("call@host"), "no tap while captures are off");
            assertEquals(
                    before,
                    captureWriters(),
                    "a writer polling for records that never come costs a laptop 500 wake-ups/s");
        }
    }

    @Test
    void withCapturesOffTheRingIsNotAllocated() {
        MediaSettings off = new MediaSettings(
                true, 46, true, 46, "16384-32767", false, CaptureCipherSuite.NULL_NULL, 4, 7200, true);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        try (DiagnosticCaptures captures = new DiagnosticCaptures(dir.resolve("logs"), dir, () -> off)) {
            captures.forSession("call@host");
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(
                    allocated < 1 << 20,
                    "a 6 MiB ring nobody writes to stays resident all day (allocated " + allocated + " bytes)");
            assertEquals(0, captures.dropped());
        }
    }

    private static long captureWriters() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("rtp-capture-writer"))
                .count();
    }

    @ParameterizedTest
    @EnumSource(CaptureCipherSuite.class)
    void aCallsPacketsLandInItsCaptureOffTheCallerThreadAndProtectedOnesDecrypt(CaptureCipherSuite suite)
            throws Exception {
        Path logs = dir.resolve("logs");
        MediaSettings media = new MediaSettings(true, 46, true, 46, "16384-32767", true, suite, 4, 7200, true);
        try (DiagnosticCaptures captures = new DiagnosticCaptures(logs, dir, () -> media)) {
            PacketTap tap = captures.forSession("abc/../x@host");
            InetSocketAddress phone = new InetSocketAddress("198.18.1.10", 7000);
            InetSocketAddress lan = new InetSocketAddress("198.18.1.1", 16384);
            InetSocketAddress vpn = new InetSocketAddress("198.19.2.1", 20000);
            InetSocketAddress pbx = new InetSocketAddress("198.19.2.10", 6000);
            for (int i = 0; i < 50; i++) {
                tap.relayed(null, phone, lan, vpn, pbx, Unpooled.wrappedBuffer(new byte[172]));
            }
            waitForBytes(logs, Pcap.FILE_HEADER + 100 * Pcap.RECORD_HEADER);
        }
        Path capture;
        try (Stream<Path> files = Files.list(logs)) {
            capture = files.filter(f -> f.toString().endsWith(".pcap"))
                    .findFirst()
                    .orElseThrow();
        }
        assertTrue(capture.getFileName().toString().startsWith("abc___x@host_1_"), capture.toString());
        assertEquals(capture.getParent(), logs, "the Call-ID cannot leave the log folder");
        // Call audio: the folder, the capture and its sidecar are the daemon user's only (any umask: see
        // DaemonProcessIT).
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(logs)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(capture)));
        if (suite != CaptureCipherSuite.NULL_NULL) {
            assertEquals(
                    "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Sidecar.of(capture))));
        }
        if (suite == CaptureCipherSuite.NULL_NULL) {
            assertEquals(
                    Pcap.FILE_HEADER + 100 * (Pcap.RECORD_HEADER + Pcap.IP_UDP_HEADERS + 172), Files.size(capture));
            return;
        }
        Path plain = dir.resolve("plain.pcap");
        assertEquals(100, CaptureDecryptor.decrypt(capture, MasterKey.loadOrCreate(dir), plain));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)));
        assertEquals(Pcap.FILE_HEADER + 100 * (Pcap.RECORD_HEADER + Pcap.IP_UDP_HEADERS + 172), Files.size(plain));
        // Tampered, truncated: refused, and no output left behind.
        byte[] bytes = Files.readAllBytes(capture);
        bytes[bytes.length / 2] ^= 0x40;
        Path tampered = dir.resolve("tampered.pcap");
        Files.write(tampered, bytes);
        Files.copy(Sidecar.of(capture), Sidecar.of(tampered));
        Path out = dir.resolve("out.pcap");
        assertThrows(
                CaptureRefusedException.class,
                () -> CaptureDecryptor.decrypt(tampered, MasterKey.loadOrCreate(dir), out));
        assertFalse(Files.exists(out) || Files.exists(dir.resolve("out.pcap.partial")));
        Files.write(tampered, java.util.Arrays.copyOf(Files.readAllBytes(capture), (int) Files.size(capture) - 5));
        assertThrows(
                CaptureRefusedException.class,
                () -> CaptureDecryptor.decrypt(tampered, MasterKey.loadOrCreate(dir), out));
    }

    private static void waitForBytes(Path logs, long atLeast) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (Files.isDirectory(logs)) {
                try (Stream<Path> files = Files.list(logs)) {
                    if (files.filter(f -> f.toString().endsWith(".pcap"))
                                    .mapToLong(f -> f.toFile().length())
                                    .sum()
                            >= atLeast) {
                        return;
                    }
                }
            }
            Thread.sleep(20);
        }
    }
}
