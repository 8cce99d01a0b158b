package org.sipbridge.contract.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

/**
 * Replaces a file so that a crash at any moment leaves either the old or the new content: write a
 * temporary file beside it, fsync, rename over the target, fsync the folder.
 */
public final class AtomicFiles {

    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private AtomicFiles() {}

    /** Writes {@code content} to {@code target}, readable and writable by its owner only (on POSIX). */
    public static void writeOwnerOnly(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            OwnerOnly.directory(dir); // a folder made for this file is private too, whatever the umask
        }
        deleteLeftovers(dir, target.getFileName().toString());
        Path temp = dir.resolve(tempPrefix(target.getFileName().toString()) + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = POSIX
                    ? FileChannel.open(
                            temp,
                            java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                            ownerOnly())
                    : FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(dir);
    }

    private static FileAttribute<?> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    }

    private static String tempPrefix(String name) {
        return "." + name + ".";
    }

    /** Temporary files of a write that a crash interrupted; only one sipbridge writes here at a time. */
    private static void deleteLeftovers(Path dir, String name) throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, tempPrefix(name) + "*.tmp")) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    /** Makes the rename itself durable; not possible (nor needed) on Windows. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Windows cannot open a folder as a channel; NTFS journals the rename itself.
        }
    }
}
