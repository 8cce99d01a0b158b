package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calls through a real VPN that drops (lab/openvpn, see {@link OpenVpnLabIT}): the OpenVPN client
 * stops for 5 s with a call up and comes back. The gap in the echoed audio at the phone is printed.
 */
class OpenVpnDropLabIT extends OpenVpnCallTest {

    @BeforeAll
    static void start() throws Exception {
        startLab("od");
    }

    /**
     * The VPN drops for 5 s with a call up and comes back with the same address: the call is not torn
     * down (the phone's BYE at the end is answered), the PBX keeps the registration, the echoed audio is
     * back at the phone within 1 s of the tunnel, and a call the phone starts during the outage gets 503.
     */
    @Test
    void aCallSurvivesTheVpnDroppingForFiveSecondsWithTheSameAddress() throws Exception {
        int seconds = 18;
        Path scenario = setup.audioCallScenario("call-drop", seconds);
        // A second phone (user 1002, the bridge binds each identity to one address) tries to call during the outage.
        LabNetwork.Result second = Sipp.run(lab, "phone", "phone-register.xml", lab.fact("PHONE_IP"), 5068,
                lab.fact("BRIDGE_LAN_IP") + ":8060", "-key", "domain", "sipbridge.lab", "-s", "1002", "-ap", "pass1002");
        assertEquals(0, second.exitCode(), second.output());
        assertEquals(0, LabCalls.registerPhoneFrom(lab, 5066).exitCode(), "the phone registers from its calling port");
        LabProcess callee = lab.start("pbx", dir.resolve("callee-drop"), Map.of(), "sipp", "-sf",
                LabNetwork.REPO.resolve("lab/sipp/uas-answer.xml").toString(), "-i", lab.fact("PBX_IP"), "-p", "5070",
                "-mi", lab.fact("PBX_IP"), "-mp", "7200", "-rtp_echo", "-m", "1", "-timeout", "60", "-nostdin");
        ExecutorService background = Executors.newFixedThreadPool(2);
        try (Tshark toPhone = Tshark.start(lab, dir.resolve("tshark-drop"), "bridge", lab.fact("LAN_IF"),
                "udp and src host " + lab.fact("BRIDGE_LAN_IP") + " and dst host " + lab.fact("PHONE_IP")
                        + " and not port 8060", "frame.time_epoch")) {
            Thread.sleep(300); // SIPp binds its port
            Future<LabNetwork.Result> call = background.submit(() -> Sipp.run(lab, 90, "phone",
                    scenario.toString(), lab.fact("PHONE_IP"), 5066, lab.fact("BRIDGE_LAN_IP") + ":8060",
                    "-key", "domain", "sipbridge.lab", "-key", "caller", "1001", "-s", "2000", "-au", "1001",
                    "-ap", "pass1001", "-d", String.valueOf(seconds * 1000), "-timeout", "60",
                    "-mi", lab.fact("PHONE_IP"), "-mp", "7000"));
            awaitAnsweredCall();
            Thread.sleep(2000); // audio flows both ways
            vpn.stopClient();
            long downAt = System.currentTimeMillis();
            Thread.sleep(2500); // past the adapter watcher's debounce
            Future<LabNetwork.Result> refused = background.submit(() -> Sipp.run(lab, "phone",
                    "phone-call-vpn-down.xml", lab.fact("PHONE_IP"), 5068, lab.fact("BRIDGE_LAN_IP") + ":8060",
                    "-key", "domain", "sipbridge.lab", "-key", "caller", "1002", "-s", "2000", "-timeout", "5",
                    "-mi", lab.fact("PHONE_IP"), "-mp", "7500"));
            String statusDuringOutage = daemon.status().toString();
            Thread.sleep(Math.max(0, downAt + 5000 - System.currentTimeMillis()));
            long backAt = vpn.startClient(true);
            LabNetwork.Result refusedCall = refused.get(30, TimeUnit.SECONDS);

            LabNetwork.Result ended = call.get(90, TimeUnit.SECONDS);
            List<Long> echoed = toPhone.stop().stream().map(t -> Math.round(Double.parseDouble(t) * 1000)).toList();
            long lastBefore = echoed.stream().filter(t -> t < downAt).reduce((a, b) -> b).orElse(downAt);
            long resumedAt = echoed.stream().filter(t -> t > downAt).findFirst().orElse(Long.MAX_VALUE);
            System.out.println(resumedAt == Long.MAX_VALUE
                    ? "VPN drop: tunnel down " + (backAt - downAt) + " ms; the echoed audio never came back"
                    : String.format("VPN drop: tunnel down %d ms; echoed audio resumed %d ms after the tunnel was back;"
                            + " audio gap at the phone %d ms; %d packets echoed", backAt - downAt, resumedAt - backAt,
                            resumedAt - lastBefore, echoed.size()));
            System.out.println("status during the outage: " + statusDuringOutage);
            assertEquals(0, ended.exitCode(), "the call was torn down:\n" + ended.output() + "\n"
                    + daemon.process().output() + "\n" + vpn.logs());
            assertTrue(resumedAt - backAt <= 1000, "audio resumed " + (resumedAt - backAt) + " ms after the tunnel was back");
            assertEquals(0, refusedCall.exitCode(), "a call during the outage must get 503:\n" + refusedCall.output());
            assertTrue(statusDuringOutage.contains("cannot be used"), statusDuringOutage);
            List<String> locations = setup.pbx.locations();
            assertTrue(locations.stream().anyMatch(l -> l.startsWith("1001 ") && l.contains("@" + lab.fact("BRIDGE_VPN_IP"))),
                    "the PBX lost the phone's registration: " + locations);
        } finally {
            background.shutdownNow();
            callee.close();
        }
    }

    /** Waits until the bridge has an answered call in progress (call set-up takes seconds on a loaded machine). */
    private static void awaitAnsweredCall() throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (true) {
            for (com.fasterxml.jackson.databind.JsonNode session : daemon.get("/api/sessions")) {
                if (!session.path("answered").isNull() && !"ENDED".equals(session.path("state").asText())) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no answered call: " + daemon.get("/api/sessions") + "\n" + daemon.process().output());
            }
            Thread.sleep(100);
        }
    }
}
