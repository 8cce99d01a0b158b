package org.sipbridge.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondHolderIsToldWhoHasTheLock() throws Exception {
        Path file = dir.resolve("sipbridge.lock");
        try (InstanceLock first = InstanceLock.acquire(file)) {
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(file));
            InstanceLock.HeldException e =
                    assertThrows(InstanceLock.HeldException.class, () -> InstanceLock.acquire(file));
            assertEquals(
                    "sipbridge is already running on this computer (pid "
                            + ProcessHandle.current().pid() + "); stop it first (lock " + file + ")",
                    e.getMessage());
        }
        InstanceLock.acquire(file).close();
    }

    @Test
    void aStaleFileFromACrashedRunDoesNotBlock() throws Exception {
        Path file = dir.resolve("sipbridge.lock");
        Files.writeString(file, "999999\n");
        InstanceLock.acquire(file).close();
    }
}
