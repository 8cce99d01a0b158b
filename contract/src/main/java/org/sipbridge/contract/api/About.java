package org.sipbridge.contract.api;

import java.time.Instant;

/**
 * {@code GET /api/about}: Status › About (and the log folder of Configuration › Diagnostics). The daemon
 * fills it; bridge-daemon's {@code AboutJsonTest} checks the names the pages read.
 *
 * @param license      the licence the jar's manifest declares, or "not declared"
 * @param java         the Java vendor and version
 * @param os           the operating system's name, version and architecture
 * @param logDirectory the absolute path of the log folder
 */
public record About(
        String product,
        String version,
        String buildTime,
        String machineName,
        Instant runningSince,
        String license,
        String java,
        String os,
        String logDirectory) {}
