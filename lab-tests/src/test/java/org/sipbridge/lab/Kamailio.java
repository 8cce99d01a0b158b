package org.sipbridge.lab;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The lab PBX: lab/kamailio/run.sh in the PBX namespace, and its location table. */
final class Kamailio implements AutoCloseable {

    private final LabNetwork lab;
    private final LabProcess process;
    private final Path runDir;

    private Kamailio(LabNetwork lab, LabProcess process, Path runDir) {
        this.lab = lab;
        this.process = process;
        this.runDir = runDir;
    }

    static Kamailio start(LabNetwork lab, Path workDir, String address, int port)
            throws IOException, InterruptedException {
        Path runDir = workDir.resolve("run");
        LabProcess process = lab.start(
                "pbx",
                workDir,
                Map.of(),
                LabNetwork.REPO.resolve("lab/kamailio/run.sh").toString(),
                address,
                String.valueOf(port),
                runDir.toString());
        process.awaitOutput("INFO: <core>", Duration.ofSeconds(20));
        return new Kamailio(lab, process, runDir);
    }

    /** Registered contacts as "AOR CONTACT EXPIRES" lines. */
    List<String> locations() throws IOException, InterruptedException {
        LabNetwork.Result result = lab.exec(
                "pbx", LabNetwork.REPO.resolve("lab/kamailio/dump-location.sh").toString(), runDir.toString());
        if (result.exitCode() != 0) {
            throw new AssertionError("dump-location failed: " + result.output());
        }
        List<String> lines = new ArrayList<>();
        for (String line : result.output().split("\n")) {
            if (!line.isBlank()) {
                lines.add(line.trim());
            }
        }
        return lines;
    }

    /** kamcmd's full ul.dump: every binding with its instance, reg-id, path and so on. */
    String locationDump() throws IOException, InterruptedException {
        return lab.exec(
                        "pbx",
                        LabNetwork.REPO.resolve("lab/kamailio/dump-location.sh").toString(),
                        runDir.toString(),
                        "--raw")
                .output();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
