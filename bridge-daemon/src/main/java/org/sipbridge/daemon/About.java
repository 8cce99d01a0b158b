package org.sipbridge.daemon;

import java.time.Instant;

/**
 * Status › About: product and build, the computer, and how long this run has lasted.
 *
 * @param license the project's licence as declared in the jar's manifest ({@code Bundle-License}), or
 *                "not declared"
 */
record About(
        String product,
        String version,
        String buildTime,
        String machineName,
        Instant runningSince,
        String license,
        String java,
        String os,
        String logDirectory) {

    static About of(Version version, String machineName, Instant runningSince, java.nio.file.Path logDirectory) {
        return new About(
                "sipbridge",
                version.version(),
                version.buildTime(),
                machineName,
                runningSince,
                version.license(),
                System.getProperty("java.vendor") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                logDirectory.toAbsolutePath().toString());
    }
}
