package org.sipbridge.daemon;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of {@code run}, also accepted without the word {@code run}. */
final class RunOptions {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Config file (JSON). Default: the platform's config folder, created on first start.")
    Path configFile;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Folder for logs, certificates and captures. Default: the platform's data folder.")
    Path dataDir;

    @Option(
            names = "--no-tray",
            description = "Do not show a tray icon (services, servers). Without a desktop there is none anyway.")
    boolean noTray;
}
