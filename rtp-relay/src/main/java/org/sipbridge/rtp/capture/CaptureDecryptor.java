package org.sipbridge.rtp.capture;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import org.sipbridge.config.CaptureCipherSuite;
import org.sipbridge.contract.files.OwnerOnly;

/**
 * {@code sipbridge capture decrypt}: checks every record of a protected capture and writes the
 * plain pcap (LINKTYPE_RAW) that Wireshark reads. All or nothing: on the first bad record the
 * output is deleted and the reason given.
 */
public final class CaptureDecryptor {

    private CaptureDecryptor() {}

    /** @return the number of packets written to {@code out} */
    public static long decrypt(Path capture, MasterKey master, Path out) throws CaptureRefusedException, IOException {
        Sidecar sidecar = Sidecar.read(capture);
        if (sidecar.cipherSuite() == CaptureCipherSuite.NULL_NULL) {
            throw new CaptureRefusedException(capture + " is not protected (NULL_NULL): open it directly");
        }
        RecordSeal seal;
        try {
            byte[] encryption = sidecar.wrappedEncryptionKey() == null
                    ? null
                    : master.unwrap(Sidecar.bytes(sidecar.wrappedEncryptionKey()));
            byte[] authentication = master.unwrap(Sidecar.bytes(sidecar.wrappedAuthenticationKey()));
            seal = new RecordSeal(sidecar.cipherSuite(), encryption, authentication, Sidecar.bytes(sidecar.salt()));
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            throw new CaptureRefusedException("the capture's keys do not open with this master key (another computer's "
                    + "capture, or a changed sidecar): " + e.getMessage());
        }
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        long packets = 0;
        try (InputStream raw = Files.newInputStream(capture);
                DataInputStream in = new DataInputStream(raw);
                OutputStream plain = OwnerOnly.newOutputStream(partial)) {
            readFileHeader(in);
            ByteBuffer header = ByteBuffer.allocate(Pcap.FILE_HEADER);
            Pcap.fileHeader(header, Pcap.LINKTYPE_RAW);
            plain.write(header.array());
            byte[] recordHeader = new byte[Pcap.RECORD_HEADER];
            while (readRecordHeader(in, recordHeader, packets)) {
                ByteBuffer fields = ByteBuffer.wrap(recordHeader).order(ByteOrder.LITTLE_ENDIAN);
                long micros = (fields.getInt() & 0xffffffffL) * 1_000_000 + (fields.getInt() & 0xffffffffL);
                int length = fields.getInt();
                if (length < 0 || length > Pcap.SNAPLEN + RecordSeal.INDEX + RecordSeal.TAG) {
                    throw new CaptureRefusedException(
                            "record " + packets + " claims " + length + " bytes: the file is damaged");
                }
                byte[] sealed = new byte[length];
                try {
                    in.readFully(sealed);
                } catch (EOFException e) {
                    throw new CaptureRefusedException("record " + packets + " is cut short: the file is truncated");
                }
                byte[] packet = seal.open(packets, micros, sealed);
                ByteBuffer plainHeader = ByteBuffer.allocate(Pcap.RECORD_HEADER);
                Pcap.recordHeader(plainHeader, micros, packet.length, packet.length);
                plain.write(plainHeader.array());
                plain.write(packet);
                packets++;
            }
        } catch (CaptureRefusedException | IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            if (e instanceof CaptureRefusedException refused) {
                throw refused;
            }
            if (e instanceof IOException io) {
                throw io;
            }
            throw new CaptureRefusedException("the file is damaged: " + e);
        }
        Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return packets;
    }

    private static void readFileHeader(DataInputStream in) throws IOException, CaptureRefusedException {
        byte[] bytes = new byte[Pcap.FILE_HEADER];
        try {
            in.readFully(bytes);
        } catch (EOFException e) {
            throw new CaptureRefusedException("not a pcap file (shorter than its header)");
        }
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (header.getInt(0) != Pcap.MAGIC || header.getInt(20) != Pcap.LINKTYPE_USER0) {
            throw new CaptureRefusedException("not a protected sipbridge capture (pcap magic or link type differ)");
        }
    }

    /** Reads the next record header; false at a clean end of file. */
    private static boolean readRecordHeader(DataInputStream in, byte[] header, long index)
            throws IOException, CaptureRefusedException {
        int first = in.read();
        if (first < 0) {
            return false;
        }
        header[0] = (byte) first;
        try {
            in.readFully(header, 1, header.length - 1);
        } catch (EOFException e) {
            throw new CaptureRefusedException("record " + index + " is cut short: the file is truncated");
        }
        return true;
    }
}
