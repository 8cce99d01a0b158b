package org.sipbridge.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One sipbridge per computer: an OS file lock in a machine-wide folder, holding the owner's PID. The
 * OS drops the lock when the process dies, however it dies, so a stale file never blocks a start.
 */
final class InstanceLock implements AutoCloseable {

    /** Overrides the lock file (tests, packaging); otherwise /run/lock or the temp folder. */
    static final String LOCK_FILE_ENV = "SIPBRIDGE_LOCK_FILE";

    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown when another process holds the lock. */
    static final class HeldException extends Exception {
        HeldException(String message) {
            super(message);
        }
    }

    static Path defaultLockFile() {
        String override = System.getenv(LOCK_FILE_ENV);
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        Path runLock = Path.of("/run/lock");
        Path dir = Files.isDirectory(runLock) && Files.isWritable(runLock)
                ? runLock
                : Path.of(System.getProperty("java.io.tmpdir"));
        return dir.resolve("sipbridge.lock");
    }

    static InstanceLock acquire(Path file) throws HeldException, IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (java.nio.file.AccessDeniedException e) {
            // Another user's sipbridge created it and still may hold it.
            throw new HeldException(heldMessage(file));
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new HeldException(heldMessage(file));
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(false);
        return new InstanceLock(channel, lock);
    }

    private static String heldMessage(Path file) {
        return "sipbridge is already running on this computer"
                + holder(file).map(pid -> " (pid " + pid + ")").orElse("") + "; stop it first (lock " + file + ")";
    }

    private static Optional<String> holder(Path file) {
        try {
            String pid = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return pid.matches("\\d{1,10}") ? Optional.of(pid) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
