package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Diagnostic captures of real calls: a plain capture opens in tshark with every relayed packet (as
 * received and as sent); after switching the cipher suite live to AES128_HMACSHA1, the next call's
 * capture is unreadable as is, decrypts with `sipbridge capture decrypt` to the same count, and a
 * tampered copy is refused.
 */
class MediaCaptureLabIT {

    @RegisterExtension
    static final RegisteredPhoneLab LAB = new RegisteredPhoneLab("mc", """
                "media": {"rtpDiagnosticCaptureEnabled": true, "rtpDiagnosticCaptureCipherSuite": "NULL_NULL"}""");

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void plainAndEncryptedCapturesHoldEveryRelayedPacket() throws Exception {
        Path logs = LAB.dir().resolve("bridge/data/logs");
        Call plain = call(5062, 6000);
        Path plainFile = newCapture(logs, List.of());
        assertEquals(2 * plain.packets(), frames(plainFile, ""), "every relayed packet, as received and as sent");
        assertEquals(
                plain.phoneToPbx(), frames(plainFile, "ip.dst==" + LAB.lab().fact("PBX_IP")));
        assertEquals(
                0,
                frames(
                        plainFile,
                        "ip.dst==" + LAB.lab().fact("PBX_IP") + " && ip.src=="
                                + LAB.lab().fact("BRIDGE_LAN_IP")),
                "toward the PBX the bridge sends from its VPN address");

        // Switch the suite live through the API (as the Media page does), then make another call.
        String session = LAB.lab()
                .exec(
                        "bridge",
                        "curl",
                        "-sS",
                        "-c",
                        LAB.dir().resolve("jar").toString(),
                        "http://127.0.0.1:8080/api/session")
                .output();
        String token = JSON.readTree(session).path("csrfToken").asText();
        LabNetwork.Result put = LAB.lab()
                .exec(
                        "bridge",
                        "curl",
                        "-sS",
                        "-b",
                        LAB.dir().resolve("jar").toString(),
                        "-X",
                        "PUT",
                        "-H",
                        "Content-Type: application/json",
                        "-H",
                        "X-CSRF-Token: " + token,
                        "-H",
                        "X-Requested-With: fetch",
                        "-d",
                        "{\"media\": {\"rtpDiagnosticCaptureCipherSuite\": \"AES128_HMACSHA1\"}}",
                        "http://127.0.0.1:8080/api/config");
        assertTrue(put.output().contains("AES128_HMACSHA1"), put.output());
        Call encrypted = call(5064, 6000);
        Path sealedFile = newCapture(logs, List.of(plainFile));
        JsonNode sidecar = JSON.readTree(Files.readString(Path.of(sealedFile + ".json")));
        assertEquals("AES128_HMACSHA1", sidecar.path("cipherSuite").asText());

        Path decrypted = LAB.dir().resolve("decrypted.pcap");
        LabNetwork.Result decrypt = decrypt(sealedFile, decrypted);
        assertEquals(0, decrypt.exitCode(), decrypt.output());
        assertEquals(2 * encrypted.packets(), frames(decrypted, ""));

        byte[] bytes = Files.readAllBytes(sealedFile);
        bytes[bytes.length / 2] ^= 0x01;
        Path tampered = LAB.dir().resolve("tampered.pcap");
        Files.write(tampered, bytes);
        Files.copy(Path.of(sealedFile + ".json"), Path.of(tampered + ".json"));
        Path refusedOut = LAB.dir().resolve("refused.pcap");
        LabNetwork.Result refused = decrypt(tampered, refusedOut);
        assertNotEquals(0, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("refused"), refused.output());
        assertFalse(Files.exists(refusedOut), "no output for a refused capture");
    }

    private record Call(long phoneToPbx, long pbxToPhone) {
        long packets() {
            return phoneToPbx + pbxToPhone;
        }
    }

    /** A 1 s call with audio both ways (the callee echoes); returns what /api/sessions counted. */
    private Call call(int sipPort, int mediaPort) throws Exception {
        LabProcess callee = LAB.lab()
                .start(
                        "pbx",
                        LAB.dir().resolve("callee-" + sipPort),
                        java.util.Map.of(),
                        "sipp",
                        "-sf",
                        LabNetwork.REPO.resolve("lab/sipp/uas-answer.xml").toString(),
                        "-i",
                        LAB.lab().fact("PBX_IP"),
                        "-p",
                        "5070",
                        "-mi",
                        LAB.lab().fact("PBX_IP"),
                        "-mp",
                        String.valueOf(mediaPort),
                        "-rtp_echo",
                        "-m",
                        "1",
                        "-timeout",
                        "30",
                        "-nostdin");
        try {
            Thread.sleep(300);
            LabNetwork.Result result = LabCalls.phoneCalls(LAB.lab(), LAB.dir(), "phone-call.xml", sipPort);
            assertEquals(
                    0,
                    result.exitCode(),
                    result.output() + "\n" + LAB.daemon().process().output());
            callee.stop(Duration.ofSeconds(10));
        } finally {
            callee.close();
        }
        Thread.sleep(500); // the capture writer flushes within milliseconds of the last packet
        for (JsonNode session : LAB.daemon().get("/api/sessions?filter=Lab%20Phone")) {
            if (!session.path("answered").isNull()) {
                long out = 0;
                long in = 0;
                for (JsonNode stream : session.path("media").path("streams")) {
                    out += stream.path("lanToVpn").path("packets").asLong()
                            + stream.path("lanToVpn").path("rtcpPackets").asLong();
                    in += stream.path("vpnToLan").path("packets").asLong()
                            + stream.path("vpnToLan").path("rtcpPackets").asLong();
                }
                System.out.println(
                        "call from port " + sipPort + ": " + out + " packets phone->PBX, " + in + " PBX->phone");
                return new Call(out, in);
            }
        }
        throw new AssertionError("no answered call in /api/sessions");
    }

    /** The capture file that appeared besides {@code known} ones. */
    private static Path newCapture(Path logs, List<Path> known) throws Exception {
        try (Stream<Path> files = Files.list(logs)) {
            List<Path> captures = files.filter(f -> f.toString().endsWith(".pcap") && !known.contains(f))
                    .toList();
            assertEquals(1, captures.size(), captures.toString());
            return captures.get(0);
        }
    }

    private long frames(Path pcap, String filter) throws Exception {
        LabNetwork.Result result = LAB.lab()
                .exec(
                        "bridge",
                        "tshark",
                        "-r",
                        pcap.toString(),
                        "-T",
                        "fields",
                        "-e",
                        "frame.number",
                        "-Y",
                        filter.isEmpty() ? "frame" : filter);
        assertEquals(0, result.exitCode(), result.output());
        return result.output().lines().filter(l -> l.matches("\\d+")).count();
    }

    private LabNetwork.Result decrypt(Path capture, Path out) throws Exception {
        return LAB.lab()
                .exec(
                        "bridge",
                        BridgeDaemon.command(
                                "capture",
                                "decrypt",
                                capture.toString(),
                                "--data-dir",
                                LAB.dir().resolve("bridge/data").toString(),
                                "-o",
                                out.toString()));
    }
}
