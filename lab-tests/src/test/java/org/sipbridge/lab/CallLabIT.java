package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A call through the bridge with real peers: the phone (SIPp, streaming G.711) calls 2000 through
 * the bridge and Kamailio; the callee (SIPp) echoes the audio. The PBX side sees only the bridge,
 * and every media packet the bridge sends toward the PBX carries DSCP EF (46).
 */
class CallLabIT {

    @RegisterExtension
    static final RegisteredPhoneLab LAB = new RegisteredPhoneLab("cl");

    @Test
    void audioFlowsBothWaysMarkedEfAndThePbxNeverSeesTheLan() throws Exception {
        long packetsBefore = phoneToPbxPackets();
        Path scenario = LAB.call().audioCallScenario("phone-call", 3);
        LabProcess callee = LAB.call().echoCallee("callee");
        try (Tshark media = Tshark.start(
                        LAB.lab(),
                        LAB.dir().resolve("tshark-media"),
                        "bridge",
                        LAB.lab().fact("VPN_IF"),
                        "udp and src host " + LAB.lab().fact("BRIDGE_VPN_IP") + " and not port 8060",
                        "ip.dsfield.dscp");
                Tshark toPhone = Tshark.start(
                        LAB.lab(),
                        LAB.dir().resolve("tshark-lan"),
                        "bridge",
                        LAB.lab().fact("LAN_IF"),
                        // Symmetric RTP: the bridge sends to the port the phone sends from, not only the SDP one.
                        "udp and src host " + LAB.lab().fact("BRIDGE_LAN_IP") + " and dst host "
                                + LAB.lab().fact("PHONE_IP") + " and not port 8060",
                        "udp.dstport");
                Tshark signalling = Tshark.start(
                        LAB.lab(),
                        LAB.dir().resolve("tshark-sip"),
                        "bridge",
                        LAB.lab().fact("VPN_IF"),
                        "udp port 5060",
                        "sip.Via",
                        "sip.Contact",
                        "sdp.connection_info",
                        "sdp.owner")) {
            LabNetwork.Result call = LAB.call().phoneCalls(scenario, 5062, 3500);
            assertEquals(
                    0,
                    call.exitCode(),
                    call.output() + "\n" + LAB.daemon().process().output());
            callee.awaitOutput("", Duration.ofSeconds(1));

            List<String> dscp = media.stop();
            List<String> echoed = toPhone.stop();
            List<String> sip = signalling.stop();
            System.out.println("media toward the PBX: " + dscp.size() + " packets; echoed audio to the phone: "
                    + echoed.size() + " packets");
            assertTrue(dscp.size() >= 100, "too little media toward the PBX: " + dscp.size());
            assertEquals(List.of("46"), dscp.stream().distinct().toList(), "DSCP of the bridge's media packets");
            assertFalse(sip.isEmpty());
            assertTrue(
                    sip.stream().noneMatch(line -> line.contains("198.18.")),
                    "a LAN address reached the PBX side: " + sip);

            // The Sessions API shows the answered call with what the relay measured in each direction,
            // and those counts match the packets on the wire: nothing is lost inside the bridge.
            com.fasterxml.jackson.databind.JsonNode session = latestAnsweredCall();
            assertEquals("ENDED", session.path("state").asText(), session.toString());
            assertEquals("Lab Phone", session.path("from").asText());
            com.fasterxml.jackson.databind.JsonNode audio =
                    session.path("media").path("streams").path(0);
            System.out.println("sessions API: phone->PBX "
                    + audio.path("lanToVpn").path("packets").asLong() + " packets, loss "
                    + audio.path("lanToVpn").path("lossPercent").asDouble() + " %, jitter "
                    + audio.path("lanToVpn").path("jitterMs").asDouble() + " ms; PBX->phone "
                    + audio.path("vpnToLan").path("packets").asLong() + " packets");
            assertEquals(dscp.size(), audio.path("lanToVpn").path("packets").asLong(), audio.toString());
            // /metrics counted the same packets.
            assertEquals(
                    packetsBefore + dscp.size(),
                    phoneToPbxPackets(),
                    LAB.daemon().getText("/metrics"));
            // SIPp's echo returns what it manages to (under load, not always all of it); every packet it
            // returned must reach the phone.
            assertTrue(echoed.size() >= 20, "too little echoed media reached the phone: " + echoed.size());
            assertEquals(echoed.size(), audio.path("vpnToLan").path("packets").asLong(), audio.toString());
            assertEquals(0.0, audio.path("lanToVpn").path("lossPercent").asDouble(), audio.toString());
        } finally {
            callee.close();
        }
    }

    @Test
    void thePbxCallsThePhoneThroughTheBridgeAndHangsUp() throws Exception {
        LabCalls.pbxCallsThePhone(LAB.lab(), LAB.dir(), LAB.daemon());
    }

    private LabNetwork.Result phoneCalls(String scenario, int port) throws Exception {
        return LabCalls.phoneCalls(LAB.lab(), LAB.dir(), scenario, port);
    }

    private LabProcess callee(String scenario) throws Exception {
        return LabCalls.callee(LAB.lab(), LAB.dir(), scenario, 6200);
    }

    @Test
    void thePhonePutsTheCallOnHoldAndHangsUp() throws Exception {
        LabProcess callee = callee("uas-hold.xml");
        try {
            LabNetwork.Result call = phoneCalls("phone-call-hold.xml", 5063);
            assertEquals(
                    0,
                    call.exitCode(),
                    call.output() + "\n" + LAB.daemon().process().output());
            assertEquals(0, callee.stop(Duration.ofSeconds(10)), callee.output());
        } finally {
            callee.close();
        }
    }

    @Test
    void thePhoneCancelsWhileTheCalleeRingsAndNothingIsLeftBehind() throws Exception {
        LabProcess callee = callee("uas-ring-cancel.xml");
        try {
            LabNetwork.Result call = phoneCalls("phone-call-cancel.xml", 5064);
            assertEquals(
                    0,
                    call.exitCode(),
                    call.output() + "\n" + callee.output() + "\n"
                            + LAB.daemon().process().output());
            assertEquals(0, callee.stop(Duration.ofSeconds(10)), callee.output());
            // The cancelled call released its media ports: no session of the bridge is still active.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            com.fasterxml.jackson.databind.JsonNode sessions = LAB.daemon().get("/api/sessions");
            while (hasActive(sessions) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                sessions = LAB.daemon().get("/api/sessions");
            }
            assertFalse(hasActive(sessions), "a call is still active after CANCEL: " + sessions);
        } finally {
            callee.close();
        }
    }

    @Test
    void theFarEndPutsThePhonesCallOnHoldAndHangsUp() throws Exception {
        LabProcess callee = LAB.lab()
                .start(
                        "pbx",
                        LAB.dir().resolve("callee-holds"),
                        Map.of(),
                        "sipp",
                        "-sf",
                        LabNetwork.REPO
                                .resolve("lab/sipp/uas-answer-hold-hangup.xml")
                                .toString(),
                        "-i",
                        LAB.lab().fact("PBX_IP"),
                        "-p",
                        "5070",
                        "-mi",
                        LAB.lab().fact("PBX_IP"),
                        "-mp",
                        "6300",
                        "-d",
                        "1000",
                        "-m",
                        "1",
                        "-timeout",
                        "30",
                        "-nostdin");
        try {
            Thread.sleep(300);
            LabNetwork.Result call = phoneCalls("phone-call-held.xml", 5065);
            assertEquals(
                    0,
                    call.exitCode(),
                    call.output() + "\n" + callee.output() + "\n"
                            + LAB.daemon().process().output());
            assertEquals(0, callee.stop(Duration.ofSeconds(10)), callee.output());
        } finally {
            callee.close();
        }
    }

    @Test
    void thePhonePutsAnIncomingCallOnHoldAndHangsUp() throws Exception {
        // The phone answers on the contact it registered (port 5061), then holds and hangs up itself.
        LabProcess phone = LAB.lab()
                .start(
                        "phone",
                        LAB.dir().resolve("phone-holds"),
                        Map.of(),
                        "sipp",
                        "-sf",
                        LabNetwork.REPO
                                .resolve("lab/sipp/uas-answer-hold-hangup.xml")
                                .toString(),
                        "-i",
                        LAB.lab().fact("PHONE_IP"),
                        "-p",
                        "5061",
                        "-mi",
                        LAB.lab().fact("PHONE_IP"),
                        "-mp",
                        "7300",
                        "-d",
                        "1000",
                        "-m",
                        "1",
                        "-timeout",
                        "30",
                        "-nostdin");
        try {
            Thread.sleep(300);
            LabNetwork.Result caller = Sipp.run(
                    LAB.lab(),
                    "pbx",
                    "uac-held-hung-up.xml",
                    LAB.lab().fact("PBX_IP"),
                    5070,
                    LAB.lab().fact("PBX_IP") + ":5060",
                    "-s",
                    "1001",
                    "-key",
                    "caller",
                    "2000",
                    "-mi",
                    LAB.lab().fact("PBX_IP"),
                    "-mp",
                    "6400");
            assertEquals(
                    0,
                    caller.exitCode(),
                    caller.output() + "\n" + phone.output() + "\n"
                            + LAB.daemon().process().output());
            assertEquals(0, phone.stop(Duration.ofSeconds(10)), phone.output());
        } finally {
            phone.close();
        }
    }

    @Test
    void aReOfferTheFarEndRefusesLeavesTheAudioWhereItWas() throws Exception {
        // The phone's re-INVITE moves its media to 198.18.1.99; the callee answers 488, so (RFC 3264 §8) the
        // audio the phone keeps sending from its own address must still go through.
        Path scenario = LAB.call().audioCallScenario("phone-call-reoffer-refused.xml", "reoffer-refused", 4);
        LabProcess callee = LAB.lab()
                .start(
                        "pbx",
                        LAB.dir().resolve("callee-refuses"),
                        Map.of(),
                        "sipp",
                        "-sf",
                        LabNetwork.REPO
                                .resolve("lab/sipp/uas-refuse-reoffer.xml")
                                .toString(),
                        "-i",
                        LAB.lab().fact("PBX_IP"),
                        "-p",
                        "5070",
                        "-mi",
                        LAB.lab().fact("PBX_IP"),
                        "-mp",
                        "6500",
                        "-rtp_echo",
                        "-m",
                        "1",
                        "-timeout",
                        "30",
                        "-nostdin");
        try (Tshark fromPhone = Tshark.start(
                LAB.lab(),
                LAB.dir().resolve("tshark-reoffer"),
                "bridge",
                LAB.lab().fact("LAN_IF"),
                "udp and src host " + LAB.lab().fact("PHONE_IP") + " and dst host "
                        + LAB.lab().fact("BRIDGE_LAN_IP") + " and not port 8060",
                "udp.dstport")) {
            Thread.sleep(300); // SIPp binds its port
            LabNetwork.Result call = LAB.call().phoneCalls(scenario, 5066, 3000);
            assertEquals(
                    0,
                    call.exitCode(),
                    call.output() + "\n" + callee.output() + "\n"
                            + LAB.daemon().process().output());
            assertEquals(0, callee.stop(Duration.ofSeconds(10)), callee.output());
            List<String> sent = fromPhone.stop();

            com.fasterxml.jackson.databind.JsonNode session = latestAnsweredCall();
            com.fasterxml.jackson.databind.JsonNode phoneToPbx =
                    session.path("media").path("streams").path(0).path("lanToVpn");
            long relayed = phoneToPbx.path("packets").asLong();
            long stray = phoneToPbx.path("strayDropped").asLong();
            System.out.println("refused re-offer: the phone sent " + sent.size() + " RTP packets, the bridge relayed "
                    + relayed + " and dropped " + stray + " as strays");
            assertTrue(sent.size() >= 150, "too little audio from the phone: " + sent.size());
            // Only packets that arrive while the offer is pending (a few ms) may be refused.
            assertTrue(stray <= 3, "audio from the phone's own address was refused after the 488: " + phoneToPbx);
            assertTrue(relayed >= sent.size() - 3, phoneToPbx.toString());
            String timeline = LAB.daemon()
                    .get("/api/sessions/"
                            + java.net.URLEncoder.encode(
                                    session.path("callId").asText(), java.nio.charset.StandardCharsets.UTF_8))
                    .path("timeline")
                    .toString();
            assertTrue(timeline.contains("refused"), timeline);
        } finally {
            callee.close();
        }
    }

    /** The latest answered call of the lab phone in /api/sessions, not an attempt the PBX challenged with 407. */
    private static com.fasterxml.jackson.databind.JsonNode latestAnsweredCall() throws Exception {
        return LAB.call().latestAnsweredCall();
    }

    /** The phone → PBX RTP packet counter of /metrics. */
    private static long phoneToPbxPackets() throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "(?m)^sipbridge_rtp_packets_total\\{direction=\"phone_to_pbx\"} (\\d+)$")
                .matcher(LAB.daemon().getText("/metrics"));
        assertTrue(m.find(), "no RTP packet counter in /metrics");
        return Long.parseLong(m.group(1));
    }

    private static boolean hasActive(com.fasterxml.jackson.databind.JsonNode sessions) {
        for (com.fasterxml.jackson.databind.JsonNode session : sessions) {
            if (!"ENDED".equals(session.path("state").asText())) {
                return true;
            }
        }
        return false;
    }
}
