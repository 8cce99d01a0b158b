package org.sipbridge.lab;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A tshark capture on one lab interface, to see the bits the bridge puts on the wire. */
final class Tshark implements AutoCloseable {

    private final LabProcess process;

    private Tshark(LabProcess process) {
        this.process = process;
    }

    /**
     * Starts capturing on {@code host}'s {@code iface} with a capture filter, printing the given
     * fields one packet a line; returns once tshark is capturing.
     */
    static Tshark start(LabNetwork lab, Path workDir, String host, String iface, String filter, String... fields)
            throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of("tshark", "-n", "-l", "-i", iface, "-f", filter, "-T", "fields"));
        for (String field : fields) {
            command.add("-e");
            command.add(field);
        }
        LabProcess process = lab.start(host, workDir, Map.of(), command.toArray(String[]::new));
        process.awaitOutput("Capturing on", Duration.ofSeconds(20));
        return new Tshark(process);
    }

    /**
     * Starts writing every packet matching {@code filter} on {@code host}'s {@code iface} into {@code pcap}
     * (evidence for a failure message: read it with {@code tshark -r}, e.g. {@link CallTimeline}); returns
     * once capturing. dumpcap, not tshark: it loads no dissectors, so it starts in well under a second where
     * tshark took 10-50 s on a loaded 2-core machine (load average 30).
     */
    static Tshark record(LabNetwork lab, Path workDir, String host, String iface, String filter, Path pcap)
            throws IOException, InterruptedException {
        LabProcess process =
                lab.start(host, workDir, Map.of(), "dumpcap", "-q", "-i", iface, "-f", filter, "-w", pcap.toString());
        process.awaitOutput("Capturing on", Duration.ofSeconds(20));
        return new Tshark(process);
    }

    /** Stops the capture and returns one line per captured packet. */
    List<String> stop() throws InterruptedException {
        Thread.sleep(500); // let the last packets reach the capture
        process.stop(Duration.ofSeconds(5));
        List<String> lines = new ArrayList<>();
        for (String line : process.output().split("\n")) {
            // tshark's own messages (on stderr, merged here) are not packets.
            if (!line.isBlank()
                    && !line.contains("tshark")
                    && !line.startsWith("Capturing on")
                    && !line.startsWith("**")
                    && !line.contains("packets captured")
                    && !line.startsWith("Running as user")) {
                lines.add(line.trim());
            }
        }
        return lines;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
