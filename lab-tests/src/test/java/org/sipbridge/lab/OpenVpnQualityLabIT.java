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
 * came out of the tunnel (tshark on tun0; ImpairmentLabIT's tolerances: ±0.5 % absolute, ±20 %), that
 * in turn what was injected, and the status must warn (loss ≥ 1 %) while the call lasts.
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
        LabProcess callee = lab.start("pbx", dir.resolve("callee-impaired"), Map.of(), "sipp", "-sf",
                LabNetwork.REPO.resolve("lab/sipp/uas-answer.xml").toString(), "-i", lab.fact("PBX_IP"), "-p", "5070",
                "-mi", lab.fact("PBX_IP"), "-mp", String.valueOf(CALLEE_MEDIA_PORT), "-rtp_echo", "-m", "1",
                "-timeout", "60", "-nostdin");
        ExecutorService background = Executors.newSingleThreadExecutor();
        try (Tshark arriving = Tshark.start(lab, dir.resolve("tshark-tun"), "bridge", lab.fact("VPN_IF"),
                "udp and src host " + lab.fact("PBX_IP") + " and src port " + CALLEE_MEDIA_PORT, "frame.time_epoch",
                "udp.payload")) {
            Properties before = vpn.impairmentStats();
            Thread.sleep(300); // SIPp binds its port
            Future<LabNetwork.Result> call = background.submit(() -> setup.phoneCalls(scenario, 5062,
                    CALL_SECONDS * 1000 + 500));
            List<String> warnedDuringCall = qualityWarningsWhile(call);
            LabNetwork.Result ended = call.get(90, TimeUnit.SECONDS);
            assertEquals(0, ended.exitCode(), ended.output() + "\n" + daemon.process().output() + "\n" + vpn.logs());
            Properties after = vpn.impairmentStats();
            List<String> arrivals = arriving.stop();
            RtpArrivals truth = RtpArrivals.of(arrivals);
            System.out.println("first arrivals (seq ssrc): " + arrivals.stream().limit(60).map(l -> l.split("\\s+"))
                    .filter(f -> f.length > 1).map(f -> Integer.parseInt(f[1].replace(":", "").substring(4, 8), 16) + " "
                            + f[1].replace(":", "").substring(16, 24)).toList());

            JsonNode session = daemon.get("/api/sessions/" + URLEncoder.encode(setup.latestAnsweredCall().path("callId").asText(),
                    StandardCharsets.UTF_8));
            JsonNode fromPbx = session.path("media").path("streams").path(0).path("vpnToLan");
            long relayed = delta(after, before, "received");
            long dropped = delta(after, before, "dropped");
            System.out.printf("impairment relay during the call: %d tunnel packets from the server, %d dropped (%.2f %%)%n"
                    + "RTP out of the tunnel (tshark on tun0): %s%nbridge PBX->phone: %s%nstatus warnings during the call: %s%n",
                    relayed, dropped, 100.0 * dropped / relayed, truth, fromPbx, warnedDuringCall);

            assertTrue(truth.received() >= CALL_SECONDS * 50 * 0.8, "too little echoed audio came out of the tunnel: " + truth);
            assertEquals(LOSS_PERCENT, truth.lossPercent(), 1.5, "the tunnel's RTP loss vs the injected 2 %: " + truth);
            assertEquals(JITTER_SPAN_MS / 3, truth.jitterMs(), JITTER_SPAN_MS / 3 * 0.3,
                    "the tunnel's RTP jitter vs the injected 20 ms: " + truth);
            assertEquals(truth.received(), fromPbx.path("packets").asLong(), "packets out of the tunnel vs the bridge's: " + fromPbx);
            assertEquals(truth.lossPercent(), fromPbx.path("lossPercent").asDouble(), 0.5, "loss % (tunnel vs bridge): " + fromPbx);
            assertEquals(truth.jitterMs(), fromPbx.path("jitterMs").asDouble(), truth.jitterMs() * 0.2,
                    "RFC 3550 jitter ms (tunnel vs bridge): " + fromPbx);
            assertTrue(warnedDuringCall.stream().anyMatch(w -> w.contains("packet loss of 1 % or more in the audio from the PBX")),
                    "no loss warning while the call lasted: " + warnedDuringCall);
            assertTrue(!daemon.status().path("warnings").toString().contains("A call in progress"),
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

    /** RFC 3550 figures of the RTP packets as they arrived (tshark lines "epoch-seconds hex-payload"). */
    record RtpArrivals(long received, long expected, double lossPercent, double jitterMs) {

        static RtpArrivals of(List<String> lines) {
            RtpReceiverStats stats = new RtpReceiverStats(8000);
            for (String line : lines) {
                String[] fields = line.split("\\s+");
                if (fields.length < 2 || fields[1].replace(":", "").length() < 24) {
                    continue;
                }
                String hex = fields[1].replace(":", "");
                stats.arrived(Integer.parseInt(hex.substring(4, 8), 16), Long.parseLong(hex.substring(8, 16), 16),
                        Double.parseDouble(fields[0]));
            }
            return new RtpArrivals(stats.received(), stats.expected(), stats.lossPercent(), stats.jitterMs());
        }
    }
}
