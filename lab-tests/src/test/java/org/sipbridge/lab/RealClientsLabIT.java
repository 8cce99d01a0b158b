package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real SIP clients through the bridge (issue #15): baresip and linphonec as the phone on the LAN,
 * baresip as the far ends registered at Kamailio, which challenges every INVITE with 407 as a real PBX
 * does. Every call proves its audio both ways: each end plays a tone of its own frequency and the
 * other end's recording must show that frequency at speech level (sox). After each test the bridge
 * holds no live session and every RTP port pair is free again.
 */
class RealClientsLabIT extends PbxLabTest {

    static final int PHONE_HZ = 440;
    static final int FAR_HZ = 1000;
    static final int TARGET_HZ = 1700;
    /** How long a call carries audio before it is ended or changed: enough for a 2 s measuring window. */
    static final Duration TALK = Duration.ofSeconds(3);

    static BridgeDaemon bridge;
    static long freePortPairs;

    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        startLab("rc");
        // UDP phones: the bridge's Contact toward them must say UDP (the default is TCP).
        bridge = BridgeDaemon.start(lab, dir.resolve("bridge"), """
                {"bridge": {"servers": ["%s:5060"], "lanAdapter": "eth0", "vpnAdapter": "tun0",
                            "sipRegistrationProtocol": "udp"}}
                """.formatted(lab.fact("PBX_IP")));
        freePortPairs = DaemonSample.of(bridge).freePortPairs();
    }

    @AfterAll
    static void stopBridge() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
    }

    @BeforeEach
    void noClientsYet() {
        clients.clear();
    }

    /** Teardown: the clients quit (and unregister); the bridge keeps no live session and no RTP port. */
    @AfterEach
    void nothingLeftBehind() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode sessions = bridge.get("/api/sessions");
        DaemonSample sample = DaemonSample.of(bridge);
        while ((live(sessions) > 0 || sample.freePortPairs() != freePortPairs || sample.callsActive() != 0)
                && System.nanoTime() < deadline) {
            Thread.sleep(250);
            sessions = bridge.get("/api/sessions");
            sample = DaemonSample.of(bridge);
        }
        assertEquals(0, live(sessions), "live sessions after the test: " + sessions);
        assertEquals(freePortPairs, sample.freePortPairs(), "RTP port pairs still held: " + sample);
        assertEquals(0, sample.callsActive(), "calls still active: " + sample);
    }

    @Test
    void baresipRegistersThroughTheBridgeCallsOutAndHangsUp() throws Exception {
        Baresip far = farEnd("far-out", "1002", 5080, FAR_HZ);
        Baresip phone = baresipPhone("phone-out", "1001", "udp");
        assertTrue(pbx.locations().stream().anyMatch(l -> l.startsWith("1001 sip:1001")
                        && l.contains("@" + lab.fact("BRIDGE_VPN_IP") + ":8060;sbid=")),
                "the PBX should know 1001 at the bridge: " + pbx.locations());

        phone.command("dial", "sip:1002@sipbridge.lab");
        phone.awaitEvent("CALL_ESTABLISHED");
        far.awaitEvent("CALL_ESTABLISHED");
        Thread.sleep(TALK.toMillis());
        phone.command("hangup", null);
        far.awaitEvent("CALL_CLOSED");
        phone.awaitEvent("CALL_CLOSED");

        assertTwoWayAudio(phone, PHONE_HZ, far, FAR_HZ);
    }

    @Test
    void thePbxCallsBaresipAndTheFarEndHangsUp() throws Exception {
        Baresip phone = baresipPhone("phone-in", "1001", "udp");
        Baresip far = farEnd("far-in", "1002", 5080, FAR_HZ);

        far.command("dial", "sip:1001@sipbridge.lab"); // Kamailio challenges it with 407 first
        phone.awaitEvent("CALL_ESTABLISHED");
        far.awaitEvent("CALL_ESTABLISHED");
        Thread.sleep(TALK.toMillis());
        far.command("hangup", null);
        phone.awaitEvent("CALL_CLOSED");
        far.awaitEvent("CALL_CLOSED");

        assertTwoWayAudio(phone, PHONE_HZ, far, FAR_HZ);
    }

    @Test
    void baresipPutsTheCallOnHoldAndResumesWithAudioBackBothWays() throws Exception {
        Baresip far = farEnd("far-hold", "1002", 5080, FAR_HZ);
        Baresip phone = baresipPhone("phone-hold", "1001", "udp");
        phone.command("dial", "sip:1002@sipbridge.lab");
        phone.awaitEvent("CALL_ESTABLISHED");
        far.awaitEvent("CALL_ESTABLISHED");
        far.awaitEvent("CALL_REMOTE_SDP"); // the INVITE's offer
        Thread.sleep(1000);

        phone.command("hold", null);
        assertEquals("offer", far.awaitEvent("CALL_REMOTE_SDP").path("param").asText(), "the hold re-INVITE");
        Thread.sleep(1500);
        phone.command("resume", null);
        assertEquals("offer", far.awaitEvent("CALL_REMOTE_SDP").path("param").asText(), "the resume re-INVITE");
        Thread.sleep(TALK.toMillis());
        phone.command("hangup", null);
        far.awaitEvent("CALL_CLOSED");
        phone.awaitEvent("CALL_CLOSED");

        // The last 1.5 s of each recording were sent after the resume.
        ToneCheck.assertTone(phone.lastReceived(), FAR_HZ, "heard by the phone after resume", "-1.5");
        ToneCheck.assertTone(far.lastReceived(), PHONE_HZ, "heard by the far end after resume", "-1.5");
    }

    @Test
    void rfc4733DtmfCrossesTheBridgeBothWays() throws Exception {
        Baresip far = farEnd("far-dtmf", "1002", 5080, FAR_HZ);
        Baresip phone = baresipPhone("phone-dtmf", "1001", "udp");
        phone.command("dial", "sip:1002@sipbridge.lab");
        phone.awaitEvent("CALL_ESTABLISHED");
        far.awaitEvent("CALL_ESTABLISHED");
        Thread.sleep(500);

        // baresip sends digits only as RFC 4733 telephone-events in the RTP stream, and reports the
        // events it receives there.
        for (String digit : List.of("4", "#")) {
            phone.command("sndcode", digit);
            assertEquals(digit, far.awaitEvent("CALL_DTMF_START").path("param").asText(), "digit at the far end");
        }
        for (String digit : List.of("7", "*")) {
            far.command("sndcode", digit);
            assertEquals(digit, phone.awaitEvent("CALL_DTMF_START").path("param").asText(), "digit at the phone");
        }
        Thread.sleep(TALK.toMillis());
        far.command("hangup", null);
        phone.awaitEvent("CALL_CLOSED");
        assertTwoWayAudio(phone, PHONE_HZ, far, FAR_HZ);
    }

    @Test
    void thePhoneTransfersItsCallBlindly() throws Exception {
        Baresip far = farEnd("far-xfer", "1002", 5080, FAR_HZ);
        Baresip target = farEnd("target-xfer", "1003", 5090, TARGET_HZ);
        Baresip phone = baresipPhone("phone-xfer", "1001", "udp");
        phone.command("dial", "sip:1002@sipbridge.lab");
        phone.awaitEvent("CALL_ESTABLISHED");
        far.awaitEvent("CALL_ESTABLISHED");
        Thread.sleep(1000);

        // REFER through the bridge and the PBX; the far end calls the target and reports back with NOTIFYs.
        phone.command("transfer", "sip:1003@sipbridge.lab");
        target.awaitEvent("CALL_ESTABLISHED");
        far.awaitEvent("CALL_ESTABLISHED");
        phone.awaitEvent("CALL_CLOSED");
        Thread.sleep(TALK.toMillis());
        far.command("hangup", null);
        target.awaitEvent("CALL_CLOSED");

        assertTwoWayAudio(far, FAR_HZ, target, TARGET_HZ);
    }

    @Test
    void thePhoneIsTransferredBlindly() throws Exception {
        Baresip far = farEnd("far-xferred", "1002", 5080, FAR_HZ);
        Baresip target = farEnd("target-xferred", "1003", 5090, TARGET_HZ);
        Baresip phone = baresipPhone("phone-xferred", "1001", "udp");
        far.command("dial", "sip:1001@sipbridge.lab");
        phone.awaitEvent("CALL_ESTABLISHED");
        far.awaitEvent("CALL_ESTABLISHED");
        Thread.sleep(1000);

        // The REFER reaches the phone through the bridge; the phone's new INVITE goes out through it too.
        far.command("transfer", "sip:1003@sipbridge.lab");
        target.awaitEvent("CALL_ESTABLISHED");
        phone.awaitEvent("CALL_ESTABLISHED");
        far.awaitEvent("CALL_CLOSED");
        Thread.sleep(TALK.toMillis());
        phone.command("hangup", null);
        target.awaitEvent("CALL_CLOSED");

        assertTwoWayAudio(phone, PHONE_HZ, target, TARGET_HZ);
    }

    @Test
    void linphonecCallsOutSendsDtmfAndTheFarEndHangsUp() throws Exception {
        Baresip far = farEnd("far-lin-out", "1002", 5080, FAR_HZ);
        Linphonec phone = linphonecPhone("lin-out", "1004");
        phone.type("call sip:1002@sipbridge.lab");
        phone.awaitOutput("connected.");
        far.awaitEvent("CALL_ESTABLISHED");
        Thread.sleep(1000);
        phone.type("9"); // a line of digits: RFC 4733 events
        assertEquals("9", far.awaitEvent("CALL_DTMF_START").path("param").asText(), "digit at the far end");
        Thread.sleep(TALK.toMillis());
        far.command("hangup", null);
        phone.awaitOutput("ended (");

        ToneCheck.assertTone(phone.recording(), FAR_HZ, "heard by linphonec", "0.5", "2");
        ToneCheck.assertTone(far.lastReceived(), PHONE_HZ, "heard by " + far, "0.5", "2");
    }

    @Test
    void thePbxCallsLinphonecWhichHangsUp() throws Exception {
        Linphonec phone = linphonecPhone("lin-in", "1004");
        Baresip far = farEnd("far-lin-in", "1002", 5080, FAR_HZ);
        far.command("dial", "sip:1004@sipbridge.lab");
        phone.awaitOutput("connected.");
        far.awaitEvent("CALL_ESTABLISHED");
        Thread.sleep(1000);
        far.command("sndcode", "3");
        phone.awaitOutput("Receiving tone 3");
        Thread.sleep(TALK.toMillis());
        phone.type("terminate");
        far.awaitEvent("CALL_CLOSED");
        phone.awaitOutput("ended (");

        ToneCheck.assertTone(phone.recording(), FAR_HZ, "heard by linphonec", "0.5", "2");
        ToneCheck.assertTone(far.lastReceived(), PHONE_HZ, "heard by " + far, "0.5", "2");
    }

    /** linphonec on the phone's LAN address (port 5062), registering {@code user} through the bridge. */
    Linphonec linphonecPhone(String name, String user) throws Exception {
        Linphonec phone = Linphonec.start(lab, dir, name, lab.fact("PHONE_IP"), 5062, 7078,
                lab.fact("BRIDGE_LAN_IP") + ":8060", user, PHONE_HZ);
        clients.add(phone);
        phone.awaitRegistered();
        return phone;
    }

    /** baresip on the phone's LAN address, registering {@code user} through the bridge; returns once registered. */
    Baresip baresipPhone(String name, String user, String transport) throws Exception {
        Baresip phone = Baresip.start(lab, "phone", dir, name, lab.fact("PHONE_IP") + ":5060", 10000,
                Baresip.account(user, "pass" + user, lab.fact("BRIDGE_LAN_IP") + ":8060", transport), PHONE_HZ, false);
        clients.add(phone);
        phone.awaitRegistered();
        return phone;
    }

    /** baresip behind the PBX, registered at Kamailio as {@code user} from {@code port}. */
    Baresip farEnd(String name, String user, int port, int toneHz) throws Exception {
        Baresip far = Baresip.start(lab, "pbx", dir, name, lab.fact("PBX_IP") + ":" + port, 20000 + (port - 5000) * 10,
                Baresip.account(user, "pass" + user, lab.fact("PBX_IP") + ":5060", "udp"), toneHz, false);
        clients.add(far);
        far.awaitRegistered();
        return far;
    }

    /** Each end's recording of its last call carries the other end's tone (the middle 2 s of the call). */
    static void assertTwoWayAudio(Baresip a, int aHz, Baresip b, int bHz) throws Exception {
        ToneCheck.assertTone(a.lastReceived(), bHz, "heard by " + a, "0.5", "2");
        ToneCheck.assertTone(b.lastReceived(), aHz, "heard by " + b, "0.5", "2");
    }

    private static int live(JsonNode sessions) {
        int live = 0;
        for (JsonNode session : sessions) {
            if (!"ENDED".equals(session.path("state").asText())) {
                live++;
            }
        }
        return live;
    }
}
