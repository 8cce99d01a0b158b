package org.sipbridge.provisioning.transfer;

import java.time.Duration;
import java.time.Instant;

/**
 * One request through the proxy as the status page shows it, frozen at the moment it was taken.
 *
 * @param method         GET, PUT...
 * @param path           the path the phone asked for ({@code /0004f2aabbcc.cfg}), without the query
 * @param status         the HTTP status sent to the phone; 0 until the response starts
 * @param direction      which body is counted: the download to the phone, or the phone's upload
 * @param bytes          body bytes moved so far in that direction
 * @param totalBytes     the announced size (Content-Length), or -1 when unknown
 * @param bytesPerSecond average rate since the start
 * @param startedAt      when the phone's request arrived
 * @param duration       time taken so far, or in all once finished
 * @param finished       whether the exchange is over (successfully or not)
 */
public record Transfer(
        String method,
        String path,
        int status,
        Direction direction,
        long bytes,
        long totalBytes,
        long bytesPerSecond,
        Instant startedAt,
        Duration duration,
        boolean finished) {

    public enum Direction {
        /** A file sent to the phone (configuration, firmware). */
        DOWNLOAD,
        /** A file the phone sends (logs, its own settings). */
        UPLOAD
    }

    /** Finished with fewer bytes than announced: the transfer broke off. */
    public boolean incomplete() {
        return finished && totalBytes >= 0 && bytes < totalBytes;
    }
}
