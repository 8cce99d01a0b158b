package org.sipbridge.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A failure message's evidence from a pcap ({@link Tshark#record}): the call's SIP messages with the media
 * line and direction of their SDP, and the RTP packets to and from one endpoint per half second. It
 * tells apart "the bridge stopped relaying toward the phone" (a gap in the "to" column after a re-INVITE),
 * "the SDP sent media elsewhere" (the SDP lines) and "packets arrived but the client did not play or
 * record them" (no gap).
 */
final class CallTimeline {

    private static final double BUCKET_SECONDS = 0.5;

    private CallTimeline() {}

    /** The timeline of {@code pcap} as seen by {@code ip}:{@code rtpPort}; the pcap's own error if unreadable. */
    static String of(Path pcap, String ip, int rtpPort) throws Exception {
        if (!Files.isRegularFile(pcap)) {
            return "no capture " + pcap;
        }
        StringBuilder text = new StringBuilder("timeline of " + pcap.getFileName() + " (s, SIP without REGISTER):\n");
        LabNetwork.Result sip = tshark(
                pcap,
                "sip && !(sip.CSeq.method == \"REGISTER\")",
                "frame.time_relative",
                "ip.src",
                "ip.dst",
                "sip.Method",
                "sip.Status-Code",
                "sip.CSeq.method",
                "sdp.media",
                "sdp.connection_info",
                "sdp.media_attr");
        for (String line : sip.output().split("\n")) {
            if (line.matches("[0-9].*")) { // tshark's own warnings are not packets
                text.append(line.strip()).append('\n');
            }
        }
        TreeMap<Double, int[]> rtp = new TreeMap<>();
        LabNetwork.Result packets =
                tshark(pcap, "udp.port == " + rtpPort + " && ip.addr == " + ip, "frame.time_relative", "ip.dst");
        for (String line : packets.output().split("\n")) {
            String[] fields = line.strip().split("\t");
            if (fields.length == 2 && fields[0].matches("[0-9.]+")) {
                double bucket = Math.floor(Double.parseDouble(fields[0]) / BUCKET_SECONDS) * BUCKET_SECONDS;
                rtp.computeIfAbsent(bucket, b -> new int[2])[fields[1].equals(ip) ? 0 : 1]++;
            }
        }
        text.append("RTP packets per ")
                .append(BUCKET_SECONDS)
                .append(" s to/from ")
                .append(ip)
                .append(':')
                .append(rtpPort)
                .append(" (25 each way when flowing):\n");
        rtp.forEach((bucket, toFrom) -> text.append(String.format("%6.1f %3d %3d%n", bucket, toFrom[0], toFrom[1])));
        return text.toString();
    }

    private static LabNetwork.Result tshark(Path pcap, String displayFilter, String... fields) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "tshark", "-n", "-r", pcap.toString(), "-Y", displayFilter, "-T", "fields", "-E", "separator=/t"));
        for (String field : fields) {
            command.add("-e");
            command.add(field);
        }
        return LabNetwork.run(command, 60);
    }
}
