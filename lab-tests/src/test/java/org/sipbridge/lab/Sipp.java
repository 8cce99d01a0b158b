package org.sipbridge.lab;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** SIPp runs of the lab scenarios (lab/sipp), bounded in time. */
final class Sipp {

    private Sipp() {}

    /**
     * Runs one call of {@code scenario} (a file of lab/sipp, or an absolute path) from {@code host}'s
     * namespace; returns exit code and output.
     */
    static LabNetwork.Result run(
            LabNetwork lab,
            String host,
            String scenario,
            String localIp,
            int localPort,
            String target,
            String... options)
            throws IOException, InterruptedException {
        return run(lab, 60, host, scenario, localIp, localPort, target, options);
    }

    /** As {@link #run}, for scenarios longer than a minute (pass a larger SIPp {@code -timeout} too). */
    static LabNetwork.Result run(
            LabNetwork lab,
            int limitSeconds,
            String host,
            String scenario,
            String localIp,
            int localPort,
            String target,
            String... options)
            throws IOException, InterruptedException {
        String file = scenario.startsWith("/")
                ? scenario
                : LabNetwork.REPO.resolve("lab/sipp/" + scenario).toString();
        List<String> command = new ArrayList<>(List.of(
                "sipp",
                "-sf",
                file,
                "-m",
                "1",
                "-timeout",
                "15",
                "-timeout_error",
                "-nostdin",
                "-i",
                localIp,
                "-p",
                String.valueOf(localPort)));
        command.addAll(List.of(options));
        command.add(target);
        return LabNetwork.run(lab.inHost(host, command), limitSeconds);
    }
}
