package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attacks on the media relay through SIP from the registered phone's own port (the identity checks
 * pass; the media checks must stop it): port hoarding with many streams, media redirected outside the
 * LAN, and a call whose media never flows, which the bridge must end on both legs.
 */
class MediaAttackLabIT {

    @RegisterExtension
    // 100 port pairs: three 16-stream INVITEs (32 pairs each before the fix) would leave the phone none.
    static final RegisteredPhoneLab LAB =
            new RegisteredPhoneLab("ma", "\"media\": {\"rtpPortRange\": \"20000-20199\"}");

    private LabNetwork.Result phoneSends(String scenario, String... keys) throws Exception {
        List<String> options = new java.util.ArrayList<>(List.of("-key", "user", "1001", "-s", "2000"));
        options.addAll(List.of(keys));
        return Sipp.run(
                LAB.lab(),
                "phone",
                scenario,
                LAB.lab().fact("PHONE_IP"),
                5061,
                LAB.lab().fact("BRIDGE_LAN_IP") + ":8060",
                options.toArray(String[]::new));
    }

    private List<String> invitesAtThePbxDuring(String name, ThrowingRunnable attack) throws Exception {
        try (Tshark capture = Tshark.start(
                LAB.lab(),
                LAB.dir().resolve("tshark-" + name),
                "pbx",
                "eth0",
                "udp port 5060 and dst host " + LAB.lab().fact("PBX_IP"),
                "sip.Method")) {
            attack.run();
            return capture.stop().stream().filter("INVITE"::equals).toList(); // method names only
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void manyStreamsCannotHoardPortsAndThePhoneStillCalls() throws Exception {
        // Before: with 100 port pairs, three INVITEs of 16 m-lines each left the phone "503 No media ports available".
        assertEquals(100, freePortPairs());
        List<String> invites = invitesAtThePbxDuring("hoarding", () -> {
            for (int attempt = 0; attempt < 3; attempt++) {
                // from the port the phone registered from, so an identity check cannot be what refuses it
                LabNetwork.Result hoard = Sipp.run(
                        LAB.lab(),
                        "phone",
                        "phone-invite-16-streams.xml",
                        LAB.lab().fact("PHONE_IP"),
                        5061,
                        LAB.lab().fact("BRIDGE_LAN_IP") + ":8060",
                        "-key",
                        "domain",
                        "sipbridge.lab",
                        "-key",
                        "caller",
                        "1001",
                        "-s",
                        "2000",
                        "-mi",
                        LAB.lab().fact("PHONE_IP"));
                assertEquals(0, hoard.exitCode(), "expected 488 from the bridge:\n" + hoard.output());
            }
        });
        assertEquals(List.of(), invites, "hoarding INVITEs reached the PBX");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (freePortPairs() != 100 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(100, freePortPairs(), "the refused INVITEs kept ports");
        assertTrue(
                LAB.call().daemon.process().output().contains("more than media.maxStreamsPerCall (4) allows"),
                "the refusal is logged with its reason");
        LabProcess callee = LabCalls.callee(LAB.lab(), LAB.dir(), "uas-answer.xml", 6000);
        try {
            LabNetwork.Result call = LabCalls.phoneCalls(LAB.lab(), LAB.dir(), "phone-call.xml", 5061);
            assertEquals(
                    0,
                    call.exitCode(),
                    "the phone could not call after the attack:\n" + call.output()
                            + LAB.call().daemon.process().output());
        } finally {
            callee.close();
        }
    }

    private int freePortPairs() throws Exception {
        Matcher free = Pattern.compile("(?m)^sipbridge_media_free_port_pairs (\\d+)")
                .matcher(LAB.call().daemon.getText("/metrics"));
        assertTrue(free.find(), "no sipbridge_media_free_port_pairs in /metrics");
        return Integer.parseInt(free.group(1));
    }

    @Test
    void mediaPointingOutsideTheLanIsRefused() throws Exception {
        List<String> invites = invitesAtThePbxDuring("redirection", () -> {
            for (String target : List.of(
                    LAB.lab().fact("PBX_IP"),
                    "127.0.0.1",
                    "224.0.0.1",
                    LAB.lab().fact("BRIDGE_LAN_IP"))) {
                LabNetwork.Result redirected = phoneSends("invite-media-elsewhere.xml", "-key", "target", target);
                assertEquals(
                        0,
                        redirected.exitCode(),
                        "media to " + target + " was not refused with 488:\n" + redirected.output());
            }
        });
        assertEquals(List.of(), invites, "redirected INVITEs reached the PBX");
    }

    @Test
    void aCallWhoseMediaNeverFlowsIsEndedOnBothLegs() throws Exception {
        LabProcess callee = LAB.lab()
                .start(
                        "pbx",
                        LAB.dir().resolve("silent-callee"),
                        Map.of(),
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
                        "6100",
                        "-m",
                        "1",
                        "-timeout",
                        "150",
                        "-nostdin");
        try {
            assertEquals(0, LabCalls.registerPhoneFrom(LAB.lab(), 5069).exitCode());
            long start = System.nanoTime();
            LabNetwork.Result call = Sipp.run(
                    LAB.lab(),
                    180,
                    "phone",
                    "phone-call-silent.xml",
                    LAB.lab().fact("PHONE_IP"),
                    5069,
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
                    "-mi",
                    LAB.lab().fact("PHONE_IP"),
                    "-mp",
                    "7100",
                    "-timeout",
                    "150");
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(
                    0,
                    call.exitCode(),
                    "the phone got no BYE from the bridge:\n" + call.output()
                            + LAB.call().daemon.process().output());
            assertEquals(0, callee.stop(Duration.ofSeconds(10)), "the far end got no BYE:\n" + callee.output());
            System.out.printf("silent call ended by the bridge after %.1f s%n", seconds);
        } finally {
            callee.close();
        }
        JsonNode sessions = LAB.call().daemon.get("/api/sessions");
        for (JsonNode session : sessions) {
            assertTrue(!"ANSWERED".equals(session.path("state").asText()), "a call stayed answered: " + sessions);
        }
        assertTrue(LAB.call().daemon.process().output().contains("ends: "), "the log says why the call ended");
    }
}
