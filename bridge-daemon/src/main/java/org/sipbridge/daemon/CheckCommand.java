package org.sipbridge.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.persistence.ConfigFile;
import org.sipbridge.config.validation.ConfigException;
import org.sipbridge.contract.network.NetworkAdapters;
import org.sipbridge.daemon.check.CheckReport;
import org.sipbridge.daemon.check.CheckResult;
import org.sipbridge.daemon.check.SelfCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sipbridge check [--config FILE] [--json]}: the self-check, exit 0 when nothing fails. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = {
            "Check this computer and the configuration: adapters, subnets, routes, ports, the PBX servers",
            "(OPTIONS RTT, jitter, loss over the VPN), the provisioning server, the clock and DSCP marking.",
            "Exit 0 when nothing fails (warnings pass), 1 otherwise."
        })
final class CheckCommand implements Callable<Integer> {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Config file. Default: the platform's config folder.")
    Path configFile;

    @Option(
            names = "--json",
            description = "Machine output: {passed, ranAt, checks: [{id, title, status, detail, fix}]}.")
    boolean json;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws IOException {
        Path file = configFile != null ? configFile : PlatformPaths.current().configFile();
        BridgeConfig config;
        try {
            config = ConfigFile.load(file);
        } catch (ConfigException e) {
            System.err.println("sipbridge: " + file + " is not a valid configuration:");
            e.problems().forEach(p -> System.err.println("  " + p));
            return ExitCodes.BAD_CONFIG;
        } catch (IOException e) {
            System.err.println("sipbridge: cannot read " + file + ": " + e);
            return ExitCodes.BAD_CONFIG;
        }
        CheckReport report = new SelfCheck(
                        () -> config,
                        NetworkAdapters::list,
                        DscpProbe::probe,
                        Version.current().buildTime(),
                        Clock.systemUTC())
                .run(sipbridgeRunning());
        if (json) {
            out.println(new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(report));
        } else {
            print(report);
        }
        return report.passed() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** Whether another sipbridge holds the one-instance lock (then the ports it needs are taken by it). */
    private static boolean sipbridgeRunning() {
        try (InstanceLock lock = InstanceLock.acquire(InstanceLock.defaultLockFile())) {
            return false;
        } catch (InstanceLock.HeldException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void print(CheckReport report) {
        int width =
                report.checks().stream().mapToInt(c -> c.title().length()).max().orElse(10);
        for (CheckResult check : report.checks()) {
            String mark = switch (check.status()) {
                case PASS -> "✔";
                case WARN -> "!";
                case FAIL -> "✘";
                case SKIP -> "-";
            };
            out.printf("%s %-" + width + "s  %s%n", mark, check.title(), check.detail());
            if (check.fix() != null) {
                out.printf("  %" + width + "s  fix: %s%n", "", check.fix());
            }
        }
        long failed = report.checks().stream()
                .filter(c -> c.status() == CheckResult.Status.FAIL)
                .count();
        long warned = report.checks().stream()
                .filter(c -> c.status() == CheckResult.Status.WARN)
                .count();
        out.println(
                report.passed()
                        ? "All checks passed" + (warned > 0 ? " (" + warned + " warning(s))" : "") + "."
                        : failed + " check(s) failed.");
    }
}
