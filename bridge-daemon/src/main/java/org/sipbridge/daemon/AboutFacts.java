package org.sipbridge.daemon;

import java.nio.file.Path;
import java.time.Instant;
import org.sipbridge.contract.api.About;

/** Status › About ({@code GET /api/about}) from the build, this computer and the running Java. */
final class AboutFacts {

    private AboutFacts() {}

    static About of(Version version, String machineName, Instant runningSince, Path logDirectory) {
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
