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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Calls through a real VPN that drops (lab/openvpn, see {@link OpenVpnLabIT}): the OpenVPN client
 * stops for 5 s with a call up and comes back, with the same address and then with another one. The
 * gap in the echoed audio at the phone is printed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
    @Order(1)
    void aCallSurvivesTheVpnDroppingForFiveSecondsWithTheSameAddress() throws Exception {
        Outage outage = callThroughOutage("drop", "uas-answer.xml", null);
        assertTrue(
                outage.resumedAfterTunnelMs() <= 1000,
                "audio resumed " + outage.resumedAfterTunnelMs() + " ms after the tunnel was back");
        List<String> locations = setup.pbx.locations();
        assertTrue(
                locations.stream().anyMatch(l -> l.startsWith("1001 ") && l.contains("@" + lab.fact("BRIDGE_VPN_IP"))),
                "the PBX lost the phone's registration: " + locations);
    }

    /**
     * The VPN drops for 5 s with a call up and the server pushes another address when it comes back:
     * the bridge re-INVITEs the PBX leg from the new address (Contact, Via, SDP c= and o= with a new
     * version), the call is not torn down, the echoed audio is back at the phone within 2 s of the
     * tunnel, and the PBX's location for the phone names the new address.
     */
    @Test
    @Order(2)
    void aCallSurvivesTheVpnComingBackWithAnotherAddress() throws Exception {
        String newAddress = "198.19.8.7";
        vpn.pushAddress(newAddress);
        Outage outage = callThroughOutage("readdress", "uas-answer-reinvite.xml", newAddress);
        assertTrue(
                outage.resumedAfterTunnelMs() <= 2000,
                "audio resumed " + outage.resumedAfterTunnelMs() + " ms after the tunnel was back");
        String reInvite = outage.calleeMessages().stream()
                .filter(m -> m.startsWith("INVITE "))
                .skip(1)
                .findFirst()
                .orElseThrow(() -> new AssertionError("the callee got no re-INVITE:\n" + outage.calleeMessages()));
        String quotedAddress = java.util.regex.Pattern.quote(newAddress);
        assertTrue(
                java.util.regex.Pattern.compile("(?m)^Contact: <sip:([^@>]*@)?" + quotedAddress + "[:;>]")
                        .matcher(reInvite)
                        .find(),
                "the re-INVITE's Contact:\n" + reInvite);
        assertTrue(
                java.util.regex.Pattern.compile("(?m)^Via: SIP/2\\.0/UDP " + quotedAddress + "[:;]")
                        .matcher(reInvite)
                        .find(),
                "the re-INVITE's Via:\n" + reInvite);
        assertTrue(reInvite.contains("c=IN IP4 " + newAddress), "the re-INVITE's SDP:\n" + reInvite);
        String firstOffer = outage.calleeMessages().stream()
                .filter(m -> m.startsWith("INVITE "))
                .findFirst()
                .orElseThrow();
        assertTrue(sdpVersion(reInvite) > sdpVersion(firstOffer), "the re-INVITE's o= version must grow:\n" + reInvite);
        assertTrue(
                java.util.regex.Pattern.compile("(?m)^o=\\S+ \\d+ \\d+ IN IP4 " + quotedAddress + "$")
                        .matcher(reInvite)
                        .find(),
                "the re-INVITE's o= line:\n" + reInvite);
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        List<String> locations = setup.pbx.locations();
        while (locations.stream().noneMatch(l -> l.startsWith("1001 ") && l.contains("@" + newAddress))
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
            locations = setup.pbx.locations();
        }
        assertTrue(
                locations.stream().anyMatch(l -> l.startsWith("1001 ") && l.contains("@" + newAddress)),
                "the registration was not refreshed from the new address: " + locations + "\n"
                        + daemon.process().output());
    }

    /** The session version of the SDP's o= line. */
    private static long sdpVersion(String message) {
        java.util.regex.Matcher o =
                java.util.regex.Pattern.compile("(?m)^o=\\S+ \\d+ (\\d+) ").matcher(message);
        if (!o.find()) {
            throw new AssertionError("no o= line in\n" + message);
        }
        return Long.parseLong(o.group(1));
    }

    /** What one call through a 5 s VPN outage showed. */
    record Outage(long resumedAfterTunnelMs, List<String> calleeMessages) {}

    /**
     * A call with {@code calleeScenario} as the callee (echoing the phone's tone), the VPN stopped for 5 s
     * while it is up and started again ({@code newAddress} null: the same one), a second phone's call
     * during the outage; checks that the call was not torn down and the second call got 503, and prints
     * the audio gap at the phone.
     */
    private Outage callThroughOutage(String name, String calleeScenario, String newAddress) throws Exception {
        int seconds = 18;
        Path scenario = setup.audioCallScenario("call-" + name, seconds);
        // A second phone (user 1002, the bridge binds each identity to one address) tries to call during the outage.
        LabNetwork.Result second = Sipp.run(
                lab,
                "phone",
                "phone-register.xml",
                lab.fact("PHONE_IP"),
                5068,
                lab.fact("BRIDGE_LAN_IP") + ":8060",
                "-key",
                "domain",
                "sipbridge.lab",
                "-s",
                "1002",
                "-ap",
                "pass1002");
        assertEquals(0, second.exitCode(), second.output());
        assertEquals(0, LabCalls.registerPhoneFrom(lab, 5066).exitCode(), "the phone registers from its calling port");
        Path calleeDir = dir.resolve("callee-" + name);
        LabProcess callee = lab.start(
                "pbx",
                calleeDir,
                Map.of(),
                "sipp",
                "-sf",
                LabNetwork.REPO.resolve("lab/sipp/" + calleeScenario).toString(),
                "-i",
                lab.fact("PBX_IP"),
                "-p",
                "5070",
                "-mi",
                lab.fact("PBX_IP"),
                "-mp",
                "7200",
                "-rtp_echo",
                "-m",
                "1",
                "-timeout",
                "60",
                "-nostdin",
                "-trace_msg");
        ExecutorService background = Executors.newFixedThreadPool(2);
        try (Tshark toPhone = Tshark.start(
                lab,
                dir.resolve("tshark-" + name),
                "bridge",
                lab.fact("LAN_IF"),
                "udp and src host " + lab.fact("BRIDGE_LAN_IP") + " and dst host " + lab.fact("PHONE_IP")
                        + " and not port 8060",
                "frame.time_epoch")) {
            Thread.sleep(300); // SIPp binds its port
            Future<LabNetwork.Result> call = background.submit(() -> Sipp.run(
                    lab,
                    90,
                    "phone",
                    scenario.toString(),
                    lab.fact("PHONE_IP"),
                    5066,
                    lab.fact("BRIDGE_LAN_IP") + ":8060",
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
                    String.valueOf(seconds * 1000),
                    "-timeout",
                    "60",
                    "-mi",
                    lab.fact("PHONE_IP"),
                    "-mp",
                    "7000"));
            awaitAnsweredCall();
            Thread.sleep(2000); // audio flows both ways
            vpn.stopClient();
            long downAt = System.currentTimeMillis();
            Thread.sleep(2500); // past the adapter watcher's debounce
            Future<LabNetwork.Result> refused = background.submit(() -> Sipp.run(
                    lab,
                    "phone",
                    "phone-call-vpn-down.xml",
                    lab.fact("PHONE_IP"),
                    5068,
                    lab.fact("BRIDGE_LAN_IP") + ":8060",
                    "-key",
                    "domain",
                    "sipbridge.lab",
                    "-key",
                    "caller",
                    "1002",
                    "-s",
                    "2000",
                    "-timeout",
                    "5",
                    "-mi",
                    lab.fact("PHONE_IP"),
                    "-mp",
                    "7500"));
            String statusDuringOutage = daemon.status().toString();
            Thread.sleep(Math.max(0, downAt + 5000 - System.currentTimeMillis()));
            long backAt = vpn.startClient(true);
            if (newAddress != null) {
                assertEquals(newAddress, vpn.tunnelAddress(), "the server pushed another address");
            }
            LabNetwork.Result refusedCall = refused.get(30, TimeUnit.SECONDS);

            LabNetwork.Result ended = call.get(90, TimeUnit.SECONDS);
            List<Long> echoed = toPhone.stop().stream()
                    .map(t -> Math.round(Double.parseDouble(t) * 1000))
                    .toList();
            long lastBefore =
                    echoed.stream().filter(t -> t < downAt).reduce((a, b) -> b).orElse(downAt);
            long resumedAt = echoed.stream().filter(t -> t > downAt).findFirst().orElse(Long.MAX_VALUE);
            System.out.println(
                    resumedAt == Long.MAX_VALUE
                            ? "VPN drop (" + name + "): tunnel down " + (backAt - downAt)
                                    + " ms; the echoed audio never came back"
                            : String.format(
                                    "VPN drop (%s): tunnel down %d ms; echoed audio resumed %d ms after the tunnel was"
                                            + " back; audio gap at the phone %d ms; %d packets echoed",
                                    name, backAt - downAt, resumedAt - backAt, resumedAt - lastBefore, echoed.size()));
            System.out.println("status during the outage: " + statusDuringOutage);
            assertEquals(
                    0,
                    ended.exitCode(),
                    "the call was torn down:\n" + ended.output() + "\n"
                            + daemon.process().output() + "\n" + vpn.logs());
            assertEquals(0, refusedCall.exitCode(), "a call during the outage must get 503:\n" + refusedCall.output());
            assertTrue(statusDuringOutage.contains("cannot be used"), statusDuringOutage);
            return new Outage(
                    resumedAt == Long.MAX_VALUE ? Long.MAX_VALUE : resumedAt - backAt, calleeMessages(calleeDir));
        } finally {
            background.shutdownNow();
            callee.close();
        }
    }

    /** The messages SIPp's -trace_msg log holds (each starting with its first line), oldest first. */
    private static List<String> calleeMessages(Path calleeDir) throws java.io.IOException {
        List<String> messages = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(calleeDir)) {
            for (Path log : files.filter(f -> f.getFileName().toString().endsWith("_messages.log"))
                    .toList()) {
                for (String chunk : java.nio.file.Files.readString(log).split("(?m)^-{10,}.*$")) {
                    String trimmed = chunk.replaceAll("(?m)^(UDP|TCP) message (sent|received).*$", "")
                            .strip();
                    if (!trimmed.isEmpty()) {
                        messages.add(trimmed.replace("\r", ""));
                    }
                }
            }
        }
        return messages;
    }

    /** Waits until the bridge has an answered call in progress (call set-up takes seconds on a loaded machine). */
    private static void awaitAnsweredCall() throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (true) {
            for (com.fasterxml.jackson.databind.JsonNode session : daemon.get("/api/sessions")) {
                if (!session.path("answered").isNull()
                        && !"ENDED".equals(session.path("state").asText())) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no answered call: " + daemon.get("/api/sessions") + "\n"
                        + daemon.process().output());
            }
            Thread.sleep(100);
        }
    }
}
