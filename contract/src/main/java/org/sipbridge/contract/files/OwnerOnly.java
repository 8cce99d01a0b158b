package org.sipbridge.contract.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Folders (0700) and files (0600) that only the daemon's user can read, whatever umask the daemon was
 * started with. A mode given at creation is only ever narrowed by the umask, never widened, so
 * creating with the owner-only mode is umask-proof; what already exists with a wider mode (from an
 * older version, or created by a library that knows nothing of modes) is narrowed. No-ops where the
 * file system has no POSIX permissions (Windows: the per-user profile folders are private already).
 */
public final class OwnerOnly {

    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private OwnerOnly() {}

    /**
     * Creates {@code dir} and its missing parents as 0700 folders, and narrows {@code dir} itself to
     * 0700 if it already existed. Parents that existed are left as they are (they may be shared, e.g. /tmp).
     */
    public static Path directory(Path dir) throws IOException {
        if (!POSIX) {
            return Files.createDirectories(dir);
        }
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
            missing.push(p);
        }
        for (Path p : missing) {
            try {
                Files.createDirectory(p, attribute(DIRECTORY));
            } catch (FileAlreadyExistsException raced) {
                // Created meanwhile by someone else: narrowed below if it is dir itself.
            }
        }
        narrow(dir, DIRECTORY);
        return dir;
    }

    /** Creates an empty 0600 {@code file} if it does not exist, or narrows an existing one to 0600. */
    public static Path file(Path file) throws IOException {
        if (POSIX) {
            try {
                Files.createFile(file, attribute(FILE));
            } catch (FileAlreadyExistsException exists) {
                narrow(file, FILE);
            }
        } else if (!Files.exists(file)) {
            Files.createFile(file);
        }
        return file;
    }

    /** {@link Files#newOutputStream} (create or truncate) on a file that is 0600 before the first byte. */
    public static OutputStream newOutputStream(Path file) throws IOException {
        return Files.newOutputStream(file(file), StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** {@link Files#writeString} into a 0600 file. */
    public static void writeString(Path file, String content) throws IOException {
        Files.writeString(file(file), content, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Narrows every regular file directly in {@code dir} to 0600 (e.g. files a library created there). */
    public static void narrowFilesIn(Path dir) throws IOException {
        if (!POSIX || !Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.newDirectoryStream(dir, Files::isRegularFile)) {
            for (Path file : files) {
                narrow(file, FILE);
            }
        }
    }

    private static void narrow(Path path, Set<PosixFilePermission> mode) throws IOException {
        if (!Files.getPosixFilePermissions(path).equals(mode)) {
            Files.setPosixFilePermissions(path, mode);
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> mode) {
        return PosixFilePermissions.asFileAttribute(mode);
    }
}
