package org.sipbridge.daemon.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.RollingFileAppender;
import java.io.IOException;
import java.nio.file.Path;
import org.sipbridge.contract.files.OwnerOnly;

/**
 * A rolling file appender whose files are readable by the daemon's user only (0600) whatever the
 * umask: logback opens files with the process's default mode. The active file is created 0600
 * before logback opens it (at start and after each rollover); archives that an earlier rollover
 * compressed meanwhile are narrowed then too. The log folder itself is 0700 (made by LogSetup), so
 * an archive is never readable by others even while it is being written.
 */
public final class OwnerOnlyRollingFileAppender extends RollingFileAppender<ILoggingEvent> {

    @Override
    public void openFile(String fileName) throws IOException {
        Path file = Path.of(fileName).toAbsolutePath();
        OwnerOnly.directory(file.getParent());
        OwnerOnly.file(file);
        OwnerOnly.narrowFilesIn(file.getParent());
        super.openFile(fileName);
    }
}
