package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sipbridge.lab.impair.ImpairmentRelay;

/**
 * Loss and jitter that the bridge reports match what the network did. The phone (SIPp) streams 12 s of
 * G.711 to the callee (SIPp echoing) through the bridge and Kamailio; the callee's SDP announces an
 * {@link ImpairmentRelay} in front of its real media port, which drops 5 % of the echoed packets and
 * delays the others by 5..20 ms. The bridge's PBX→phone figures in /api/sessions/{callId} must equal
 * the loss the relay caused (±0.5 % absolute) and the RFC 3550 jitter of the moments it actually sent
 * the packets (±20 %).
 */
class ImpairmentLabIT {

    @RegisterExtension
    // The bridge relays calls only for a phone registered through it.
    static final RegisteredPhoneLab LAB = new RegisteredPhoneLab("im");

    private static final int CALL_SECONDS = 12;
    private static final int CALLEE_MEDIA_PORT = 6000;
    private static final int RELAY_PORT = 6100;

    @Test
    void reportedLossAndJitterMatchWhatTheImpairmentRelayDid() throws Exception {
        String pbxIp = LAB.lab().fact("PBX_IP");
        Path stats = LAB.dir().resolve("impairment.stats");
        String classes = Path.of(ImpairmentRelay.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
        LabProcess relay = LAB.lab()
                .start(
                        "pbx",
                        LAB.dir().resolve("impair"),
                        Map.of(),
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        classes,
                        ImpairmentRelay.class.getName(),
                        "--listen",
                        pbxIp + ":" + RELAY_PORT,
                        "--target",
                        pbxIp + ":" + CALLEE_MEDIA_PORT,
                        "--loss",
                        "5",
                        "--delay-ms",
                        "5",
                        "--jitter-ms",
                        "15",
                        "--seed",
                        "20261122",
                        "--stats",
                        stats.toString());
        // The callee announces the relay instead of its own media port; SIPp still listens on its -mp port.
        Path calleeScenario = LAB.dir().resolve("uas-answer-impaired.xml");
        Files.writeString(
                calleeScenario,
                Files.readString(LabNetwork.REPO.resolve("lab/sipp/uas-answer.xml"))
                        .replace("m=audio [media_port]", "m=audio " + RELAY_PORT));
        LabProcess callee = LAB.lab()
                .start(
                        "pbx",
                        LAB.dir().resolve("callee"),
                        Map.of(),
                        "sipp",
                        "-sf",
                        calleeScenario.toString(),
                        "-i",
                        pbxIp,
                        "-p",
                        "5070",
                        "-mi",
                        pbxIp,
                        "-mp",
                        String.valueOf(CALLEE_MEDIA_PORT),
                        "-rtp_echo",
                        "-m",
                        "1",
                        "-timeout",
                        "40",
                        "-nostdin");
        try {
            relay.awaitOutput("impairment relay listening", Duration.ofSeconds(20));
            Path wav = ToneWav.write(LAB.dir().resolve("tone.wav"), CALL_SECONDS);
            Path scenario = LAB.dir().resolve("phone-call.xml");
            Files.writeString(
                    scenario,
                    Files.readString(LabNetwork.REPO.resolve("lab/sipp/phone-call.xml"))
                            .replace("[wav]", wav.toString()));
            assertEquals(
                    0,
                    LabCalls.registerPhoneFrom(LAB.lab(), 5062).exitCode(),
                    "the phone registers from its calling port");
            LabNetwork.Result call = Sipp.run(
                    LAB.lab(),
                    "phone",
                    scenario.toString(),
                    LAB.lab().fact("PHONE_IP"),
                    5062,
                    LAB.lab().fact("BRIDGE_LAN_IP") + ":8060",
                    "-key",
                    "domain",
                    "sipbridge.lab",
                    "-key",
                    "caller",
                    "1001",
                    "-s",
                    "2000",
                    "-au",
                    "1001",
                    "-ap",
                    "pass1001",
                    "-d",
                    String.valueOf(CALL_SECONDS * 1000 + 500),
                    "-timeout",
                    "40",
                    "-mi",
                    LAB.lab().fact("PHONE_IP"),
                    "-mp",
                    "7000");
            assertEquals(
                    0,
                    call.exitCode(),
                    call.output() + "\n" + LAB.daemon().process().output());
            relay.stop(Duration.ofSeconds(5)); // its shutdown hook writes the final figures
            Properties injected = new Properties();
            injected.load(new StringReader(Files.readString(stats)));

            JsonNode found = null;
            for (JsonNode candidate : LAB.daemon().get("/api/sessions?filter=Lab%20Phone")) {
                if (!candidate.path("answered").isNull()) {
                    found = candidate; // the answered call, not the attempt the PBX challenged with 407
                    break;
                }
            }
            assertNotNull(found, "the answered call is not in /api/sessions");
            JsonNode session = LAB.daemon()
                    .get("/api/sessions/"
                            + URLEncoder.encode(found.path("callId").asText(), StandardCharsets.UTF_8));
            JsonNode fromPbx = session.path("media").path("streams").path(0).path("vpnToLan");
            double relayLoss = Double.parseDouble(injected.getProperty("lossPercent"));
            double relayJitter = Double.parseDouble(injected.getProperty("jitterMs"));
            System.out.println("impairment relay: " + injected + "\nbridge PBX->phone: " + fromPbx);

            long forwarded = Long.parseLong(injected.getProperty("forwarded"));
            assertTrue(
                    forwarded >= CALL_SECONDS * 50 * 0.8,
                    "too little echoed audio went through the relay: " + injected);
            assertTrue(
                    Long.parseLong(injected.getProperty("dropped")) >= 10,
                    "the relay dropped too little to test: " + injected);
            assertEquals(
                    forwarded,
                    fromPbx.path("packets").asLong(),
                    "packets the relay sent vs the bridge received: " + fromPbx);
            assertEquals(
                    relayLoss, fromPbx.path("lossPercent").asDouble(), 0.5, "loss % (relay vs bridge): " + fromPbx);
            assertEquals(
                    relayJitter,
                    fromPbx.path("jitterMs").asDouble(),
                    relayJitter * 0.2,
                    "RFC 3550 jitter ms (relay vs bridge): " + fromPbx);
        } finally {
            callee.close();
            relay.close();
        }
    }
}
