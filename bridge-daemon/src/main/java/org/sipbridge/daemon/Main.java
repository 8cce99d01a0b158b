package org.sipbridge.daemon;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;

/** {@code java -jar sipbridge.jar [run] [--config FILE] [--data-dir DIR]}. */
@Command(
        name = "sipbridge",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        subcommands = {Main.Run.class, CheckCommand.class, CaptureCommand.class},
        sortOptions = false,
        description = {
            "Relays a desk IP phone's provisioning, SIP and RTP from the home LAN to the office PBX over the VPN.",
            "Without a command it runs the bridge, as 'run' does."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped normally",
            "1:unexpected failure",
            "2:bad usage or bad config (the message names the key)",
            "3:another sipbridge is already running on this computer"
        })
public final class Main implements Callable<Integer> {

    @Mixin
    RunOptions options;

    public static void main(String[] args) {
        String version = versionOnly(args);
        if (version != null) {
            System.out.println(version);
            return;
        }
        // Netty samples 1 in 128 buffers for leak tracking, a stack trace each: on the RTP path that is
        // measurable CPU (see docs/benchmarks.md) for a check that matters only in development.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        System.exit(commandLine().execute(args));
    }

    /**
     * The version line when the arguments ask for nothing else, else null: answered without picocli's
     * model of every command, whose reflection and lambdas cost about 0.25 s of CPU (#19: --version
     * within 0.3 s). It prints exactly what picocli's {@code --version} prints.
     */
    static String versionOnly(String[] args) {
        return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))
                ? VersionProvider.line()
                : null;
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    @Override
    public Integer call() {
        return new Daemon(options).run();
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            versionProvider = Main.VersionProvider.class,
            description = "Run the bridge until stopped (SIGTERM or Ctrl-C).")
    static final class Run implements Callable<Integer> {

        @Mixin
        RunOptions options;

        @Override
        public Integer call() {
            return new Daemon(options).run();
        }
    }

    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {line()};
        }

        static String line() {
            Version version = Version.current();
            return "sipbridge " + version.version()
                    + (version.buildTime().isEmpty() ? "" : " (built " + version.buildTime() + ")");
        }
    }
}
