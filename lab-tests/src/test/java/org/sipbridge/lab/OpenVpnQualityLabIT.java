package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sipbridge.lab.impair.RtpReceiverStats;

/**
 * Call quality through a real VPN whose internet link loses and delays packets: an impairment relay
 * between the OpenVPN client and server (lab/openvpn, {@link OpenVpnLab.Impairment}) drops 2 % of the
 * server's packets toward the client and holds each for a uniform 0..60 ms, i.e. an RFC 3550 jitter of
 * 20 ms (the mean |D| of two such delays is 60/3). The phone streams 12 s of G.711 to the callee, which
 * echoes it back through the tunnel. The bridge's PBX→phone loss and jitter must match the RTP that
 * came out of the tunnel (tshark on tun0, loss over the sequence numbers the bridge counts after RFC
 * 3550 A.1 validation; ImpairmentLabIT's tolerances: ±0.5 % absolute, ±20 %), that in turn what was
 * injected, and the status must warn (loss ≥ 1 %) while the call lasts and not after.
 */
class OpenVpnQualityLabIT extends OpenVpnCallTest {

    private static final int CALL_SECONDS = 12;
    private static final double LOSS_PERCENT = 2;
    private static final double JITTER_SPAN_MS = 60;
    private static final int CALLEE_MEDIA_PORT = 7300;

    @BeforeAll
    static void start() throws Exception {
        startLab("oq", new OpenVpnLab.Impairment(LOSS_PERCENT, 0, JITTER_SPAN_MS, 20261205));
    }

    @Test
    void theReportedQualityMatchesTheImpairedTunnelAndTheStatusWarnsDuringTheCall() throws Exception {
        Path scenario = setup.audioCallScenario("call-impaired", CALL_SECONDS);
        LabProcess callee = lab.start(
                "pbx",
                dir.resolve("callee-impaired"),
                Map.of(),
                "sipp",
                "-sf",
                LabNetwork.REPO.resolve("lab/sipp/uas-answer.xml").toString(),
                "-i",
                lab.fact("PBX_IP"),
                "-p",
                "5070",
                "-mi",
                lab.fact("PBX_IP"),
                "-mp",
                String.valueOf(CALLEE_MEDIA_PORT),
                "-rtp_echo",
                "-m",
                "1",
                "-timeout",
                "60",
                "-nostdin");
        ExecutorService background = Executors.newSingleThreadExecutor();
        try (Tshark arriving = Tshark.start(
                lab,
                dir.resolve("tshark-tun"),
                "bridge",
                lab.fact("VPN_IF"),
                "udp and src host " + lab.fact("PBX_IP") + " and src port " + CALLEE_MEDIA_PORT,
                "frame.time_epoch",
                "udp.payload")) {
            Properties before = vpn.impairmentStats();
            Thread.sleep(300); // SIPp binds its port
            Future<LabNetwork.Result> call =
                    background.submit(() -> setup.phoneCalls(scenario, 5062, CALL_SECONDS * 1000 + 500));
            List<String> warnedDuringCall = qualityWarningsWhile(call);
            LabNetwork.Result ended = call.get(90, TimeUnit.SECONDS);
            assertEquals(
                    0,
                    ended.exitCode(),
                    ended.output() + "\n" + daemon.process().output() + "\n" + vpn.logs());
            Properties after = vpn.impairmentStats();
            List<String> arrivals = arriving.stop();
            RtpReceiverStats truth = arrivals(arrivals);
            // A stream's first second comes out of the tunnel as a shuffled burst: what makes A.1 validation late.
            System.out.println("first 40 sequence numbers out of the tunnel: "
                    + arrivals.stream()
                            .limit(40)
                            .map(l -> l.split("\\s+"))
                            .filter(f -> f.length > 1 && f[1].replace(":", "").length() >= 8)
                            .map(f -> Integer.parseInt(f[1].replace(":", "").substring(4, 8), 16))
                            .toList());

            JsonNode session = daemon.get("/api/sessions/"
                    + URLEncoder.encode(
                            setup.latestAnsweredCall().path("callId").asText(), StandardCharsets.UTF_8));
            JsonNode fromPbx = session.path("media").path("streams").path(0).path("vpnToLan");
            long relayed = delta(after, before, "received");
            long dropped = delta(after, before, "dropped");
            // RFC 3550 A.1: the bridge counts from the sequence number that validated the source, the truth from the
            // lowest.
            long bridgeExpected = fromPbx.path("expected").asLong();
            double truthLossInBridgeRange = truth.lossPercentOfLast(bridgeExpected);
            System.out.printf(
                    "impairment relay during the call: %d tunnel packets from the server, %d dropped (%.2f %%)%n"
                            + "RTP out of the tunnel (tshark on tun0): %d of %d arrived (%.2f %% lost; %.2f %% of the last %d, the "
                            + "bridge's range), jitter %.2f ms%nbridge PBX->phone: %s%nstatus warnings during the call: %s%n",
                    relayed,
                    dropped,
                    100.0 * dropped / relayed,
                    truth.received(),
                    truth.expected(),
                    truth.lossPercent(),
                    truthLossInBridgeRange,
                    bridgeExpected,
                    truth.jitterMs(),
                    fromPbx,
                    warnedDuringCall);

            assertTrue(truth.received() >= CALL_SECONDS * 50 * 0.8, "too little echoed audio came out of the tunnel");
            assertEquals(LOSS_PERCENT, truth.lossPercent(), 1.5, "the tunnel's RTP loss vs the injected 2 %");
            // At least the injected 20 ms: userspace OpenVPN and the relay on a loaded machine add their own (up to 32
            // ms seen).
            assertTrue(truth.jitterMs() >= JITTER_SPAN_MS / 3 * 0.7, "the tunnel's RTP jitter vs the injected 20 ms");
            assertEquals(
                    truth.received(),
                    fromPbx.path("packets").asLong(),
                    "packets out of the tunnel vs the bridge's: " + fromPbx);
            assertTrue(bridgeExpected >= truth.expected() - 100, "the bridge validated the source late: " + fromPbx);
            assertEquals(
                    truthLossInBridgeRange,
                    fromPbx.path("lossPercent").asDouble(),
                    0.5,
                    "loss % (tunnel vs bridge): " + fromPbx);
            assertEquals(
                    truth.jitterMs(),
                    fromPbx.path("jitterMs").asDouble(),
                    truth.jitterMs() * 0.2,
                    "RFC 3550 jitter ms (tunnel vs bridge): " + fromPbx);
            assertTrue(
                    warnedDuringCall.stream()
                            .anyMatch(w -> w.contains("packet loss of 1 % or more in the audio from the PBX")),
                    "no loss warning while the call lasted: " + warnedDuringCall);
            assertTrue(
                    !daemon.status().path("warnings").toString().contains("A call in progress"),
                    "the warning must go with the call: " + daemon.status().path("warnings"));
        } finally {
            background.shutdownNow();
            callee.close();
        }
    }

    private static long delta(Properties after, Properties before, String key) {
        return Long.parseLong(after.getProperty(key)) - Long.parseLong(before.getProperty(key, "0"));
    }

    /** Polls the status while the call runs; returns each distinct call-quality warning it showed. */
    private static List<String> qualityWarningsWhile(Future<?> call) throws Exception {
        Set<String> seen = new java.util.LinkedHashSet<>();
        while (!call.isDone()) {
            for (JsonNode warning : daemon.status().path("warnings")) {
                String message = warning.path("message").asText();
                if (message.startsWith("A call in progress")) {
                    seen.add(message.replaceFirst(" \\(loss .*", "")); // without the figures, which change
                }
            }
            Thread.sleep(500);
        }
        return List.copyOf(seen);
    }

    /** The RTP packets as they arrived (tshark lines "epoch-seconds hex-payload"), measured as an ideal receiver. */
    private static RtpReceiverStats arrivals(List<String> lines) {
        RtpReceiverStats stats = new RtpReceiverStats(8000);
        for (String line : lines) {
            String[] fields = line.split("\\s+");
            String hex = fields.length < 2 ? "" : fields[1].replace(":", "");
            if (hex.length() >= 24) {
                stats.arrived(
                        Integer.parseInt(hex.substring(4, 8), 16),
                        Long.parseLong(hex.substring(8, 16), 16),
                        Double.parseDouble(fields[0]));
            }
        }
        return stats;
    }
}
