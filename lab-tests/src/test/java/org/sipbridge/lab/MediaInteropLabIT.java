package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Media interop (issue #15): a far end whose media comes from another address than its SDP announces (a
 * multi-homed media server, an SBC). Its SDP says PBX_IP, its tone comes from PBX2_IP (a second address of
 * the PBX host, inside the VPN subnet). In strict mode every packet was dropped as stray (one-way audio);
 * learning mode (the default) latches to PBX2_IP and the phone's audio goes there too. Each test leaves
 * learning mode on.
 */
class MediaInteropLabIT {

    @RegisterExtension
    static final RegisteredPhoneLab LAB = new RegisteredPhoneLab("mi");

    /** User 2000 answers one call announcing PBX_IP and streams a tone of {@code seconds} from PBX2_IP. */
    private static LabProcess farEndSendingFromItsSecondAddress(String name, int seconds) throws Exception {
        Path wav = ToneWav.write(LAB.dir().resolve(name + ".wav"), seconds);
        Path farEnd = LAB.dir().resolve(name + ".xml");
        Files.writeString(
                farEnd,
                Files.readString(LabNetwork.REPO.resolve("lab/sipp/uas-answer-other-source.xml"))
                        .replace("[announced]", LAB.lab().fact("PBX_IP"))
                        .replace("[wav]", wav.toString()));
        return LAB.lab()
                .start(
                        "pbx",
                        LAB.dir().resolve(name),
                        Map.of(),
                        "sipp",
                        "-sf",
                        farEnd.toString(),
                        "-i",
                        LAB.lab().fact("PBX_IP"),
                        "-p",
                        "5070",
                        "-mi",
                        LAB.lab().fact("PBX2_IP"),
                        "-mp",
                        "6600",
                        "-m",
                        "1",
                        "-timeout",
                        "40",
                        "-nostdin");
    }

    /** PUT /api/config as the Media page does. */
    private static void setLearning(boolean on) throws Exception {
        String jar = LAB.dir().resolve("cookies").toString();
        String session = LAB.lab()
                .exec("bridge", "curl", "-sS", "-c", jar, "http://127.0.0.1:8080/api/session")
                .output();
        String token = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(session)
                .path("csrfToken")
                .asText();
        LabNetwork.Result put = LAB.lab()
                .exec(
                        "bridge",
                        "curl",
                        "-sS",
                        "-b",
                        jar,
                        "-X",
                        "PUT",
                        "-H",
                        "Content-Type: application/json",
                        "-H",
                        "X-CSRF-Token: " + token,
                        "-H",
                        "X-Requested-With: fetch",
                        "-d",
                        "{\"media\": {\"vpnSourceLearning\": " + on + "}}",
                        "http://127.0.0.1:8080/api/config");
        assertTrue(
                put.output().contains("\"vpnSourceLearning\":" + on)
                        || put.output().contains("\"vpnSourceLearning\" : " + on),
                put.output());
    }

    /**
     * What users had before learning mode (strict): every packet of the far end dropped as stray, one-way audio.
     * The direction now has no MOS, and while the call lasts the status shows the one-way warning naming PBX2_IP.
     */
    @Test
    void inStrictModeTheSameFarEndGivesOneWayAudioWhichIsFlaggedWhileItLasts() throws Exception {
        setLearning(false);
        LabProcess callee = farEndSendingFromItsSecondAddress("callee-strict", 12);
        try {
            Path phoneCall = LAB.call().audioCallScenario("strict", 12);
            Thread.sleep(300); // SIPp binds its port
            java.util.concurrent.CompletableFuture<LabNetwork.Result> call =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try {
                            return LAB.call().phoneCalls(phoneCall, 5064, 12_000);
                        } catch (Exception e) {
                            throw new java.util.concurrent.CompletionException(e);
                        }
                    });
            String warning = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (warning == null && !call.isDone() && System.nanoTime() < deadline) {
                String status = LAB.call().daemon.get("/api/status").toString();
                if (status.contains("one-way audio: nothing from the PBX")) {
                    warning = status;
                }
                Thread.sleep(500);
            }
            LabNetwork.Result result = call.get(120, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(
                    0,
                    result.exitCode(),
                    result.output() + "\n" + LAB.call().daemon.process().output());
            assertEquals(0, callee.stop(Duration.ofSeconds(10)), callee.output());
            assertTrue(warning != null, "no one-way warning in /api/status during the call");
            assertTrue(
                    warning.contains("came from " + LAB.lab().fact("PBX2_IP") + " instead of the announced "
                            + LAB.lab().fact("PBX_IP")),
                    warning);
            assertTrue(
                    !LAB.call().daemon.get("/api/status").toString().contains("one-way audio"),
                    "the warning lasts only while the call does");

            JsonNode media = LAB.call().latestAnsweredCall().path("media");
            JsonNode toPhone = media.path("streams").path(0).path("vpnToLan");
            System.out.println("strict mode: PBX->phone " + toPhone + "; alarm " + media.path("alarm"));
            assertEquals(0, toPhone.path("packets").asLong(), toPhone.toString());
            assertTrue(toPhone.path("strayDropped").asLong() >= 100, toPhone.toString());
            assertTrue(toPhone.path("quality").isNull(), "an empty direction has no MOS: " + toPhone);
            assertEquals("NOTHING_FROM_PBX", media.path("alarm").path("problem").asText(), media.toString());
        } finally {
            callee.close();
            setLearning(true);
        }
    }

    @Test
    void theFarEndsMediaFromASecondAddressIsLearnedAndAudioFlowsBothWays() throws Exception {
        LabProcess callee = farEndSendingFromItsSecondAddress("callee-other-source", 4);
        Path phoneCall = LAB.call().audioCallScenario("learning", 4);
        try (Tshark toPhone = Tshark.start(
                        LAB.lab(),
                        LAB.dir().resolve("tshark-to-phone"),
                        "bridge",
                        LAB.lab().fact("LAN_IF"),
                        "udp and src host " + LAB.lab().fact("BRIDGE_LAN_IP") + " and dst host "
                                + LAB.lab().fact("PHONE_IP") + " and not port 8060",
                        "udp.srcport");
                Tshark toSecondAddress = Tshark.start(
                        LAB.lab(),
                        LAB.dir().resolve("tshark-to-pbx2"),
                        "bridge",
                        LAB.lab().fact("VPN_IF"),
                        "udp and src host " + LAB.lab().fact("BRIDGE_VPN_IP") + " and dst host "
                                + LAB.lab().fact("PBX2_IP"),
                        "udp.dstport")) {
            Thread.sleep(300); // SIPp binds its port
            LabNetwork.Result call = LAB.call().phoneCalls(phoneCall, 5062, 4000);
            assertEquals(
                    0,
                    call.exitCode(),
                    call.output() + "\n" + callee.output() + "\n"
                            + LAB.call().daemon.process().output());
            assertEquals(0, callee.stop(Duration.ofSeconds(10)), callee.output());
            List<String> atPhone = toPhone.stop();
            List<String> atSecondAddress = toSecondAddress.stop();

            JsonNode stream = LAB.call()
                    .latestAnsweredCall()
                    .path("media")
                    .path("streams")
                    .path(0);
            JsonNode pbxSide = stream.path("vpn");
            System.out.println("learning mode: the far end announced "
                    + pbxSide.path("announcedRtp").asText()
                    + ", sent from " + pbxSide.path("latchedRtp").asText() + "; the phone got " + atPhone.size()
                    + " packets, the second address " + atSecondAddress.size() + "; PBX->phone "
                    + stream.path("vpnToLan"));
            assertTrue(pbxSide.path("learned").asBoolean(), "not learned: " + stream);
            assertTrue(pbxSide.path("latchedRtp").asText().contains(LAB.lab().fact("PBX2_IP")), stream.toString());
            assertTrue(pbxSide.path("announcedRtp").asText().contains(LAB.lab().fact("PBX_IP")), stream.toString());
            // 4 s of 20 ms audio is 200 packets; learning waits 250 ms for the announced address first
            assertTrue(
                    stream.path("vpnToLan").path("packets").asLong() >= 150, "PBX->phone: " + stream.path("vpnToLan"));
            assertTrue(atPhone.size() >= 150, "the phone got " + atPhone.size() + " packets");
            assertTrue(
                    atSecondAddress.size() >= 100,
                    "the phone's audio reached the far end's real address " + atSecondAddress.size() + " times");
            assertTrue(stream.path("alarm").isNull(), "audio both ways: no alarm " + stream.path("alarm"));
            assertTrue(
                    LAB.call().daemon.process().output().contains("(learned: media.vpnSourceLearning)"),
                    "the log says the source was learned");
        } finally {
            callee.close();
        }
    }
}
