package org.sipbridge.daemon;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sipbridge.rtp.capture.CaptureDecryptor;
import org.sipbridge.rtp.capture.CaptureRefusedException;
import org.sipbridge.rtp.capture.MasterKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sipbridge capture decrypt FILE}: a protected diagnostic capture as a plain pcap, verified record by record. */
@Command(
        name = "capture",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "Work with diagnostic RTP captures.",
        subcommands = CaptureCommand.Decrypt.class)
final class CaptureCommand {

    @Command(
            name = "decrypt",
            mixinStandardHelpOptions = true,
            versionProvider = Main.VersionProvider.class,
            description = {
                "Verify every record of a protected capture (NULL_HMACSHA1, AES128_HMACSHA1, AES256_HMACSHA1)",
                "and write the plain pcap. A changed, truncated or reordered file is refused (exit 1, no output)."
            })
    static final class Decrypt implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "The capture (.pcap; its .pcap.json sidecar beside it).")
        Path capture;

        @Option(
                names = "--data-dir",
                paramLabel = "DIR",
                description = "The data folder holding capture-master.key. Default: the platform's data folder.")
        Path dataDir;

        @Option(
                names = {"-o", "--output"},
                paramLabel = "OUT",
                description = "Where to write. Default: FILE with -plain.pcap.")
        Path output;

        @Override
        public Integer call() {
            Path data = dataDir != null ? dataDir : PlatformPaths.current().dataDir();
            Path out = output != null
                    ? output
                    : capture.resolveSibling(
                            capture.getFileName().toString().replaceFirst("\\.pcap$", "") + "-plain.pcap");
            try {
                long packets =
                        CaptureDecryptor.decrypt(capture, MasterKey.load(data.resolve(MasterKey.FILE_NAME)), out);
                System.out.println("Verified and wrote " + packets + " packets to " + out);
                return ExitCodes.OK;
            } catch (CaptureRefusedException e) {
                System.err.println("sipbridge: refused " + capture + ": " + e.getMessage());
                return ExitCodes.FAILURE;
            } catch (IOException e) {
                System.err.println("sipbridge: cannot decrypt " + capture + ": " + e);
                return ExitCodes.FAILURE;
            }
        }
    }
}
