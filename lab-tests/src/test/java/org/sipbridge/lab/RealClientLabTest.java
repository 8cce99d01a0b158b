package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The lab of the real-client tests (issue #15): one lab, Kamailio and bridge per class; baresip and
 * linphonec as the phone on the LAN, baresip as the far ends registered at Kamailio, which challenges
 * every INVITE with 407 as a real PBX does. Each call proves its audio both ways: each end plays a
 * tone of its own frequency and the other end's recording must show that frequency at speech level
 * (sox). After each test the clients quit, and the bridge holds no live session and every RTP port
 * pair is free again.
 */
abstract class RealClientLabTest extends PbxLabTest {

    static final int PHONE_HZ = 440;
    static final int FAR_HZ = 1000;
    static final int TARGET_HZ = 1700;
    /** How long a call carries audio before it is ended or changed: enough for a 2 s measuring window. */
    static final Duration TALK = Duration.ofSeconds(3);

    static BridgeDaemon bridge;

    final List<AutoCloseable> clients = new ArrayList<>();
    /** Free RTP port pairs before the test: a leak fails the test that made it, not the ones after it. */
    long freePortPairs;

    /** The lab ({@code letters} + pid) and a bridge whose transport toward the phone is {@code phoneTransport}. */
    static void startLabAndBridge(String letters, String phoneTransport) throws Exception {
        startLab(letters);
        bridge = BridgeDaemon.start(lab, dir.resolve("bridge"), """
                {"bridge": {"servers": ["%s:5060"], "lanAdapter": "eth0", "vpnAdapter": "tun0",
                            "sipRegistrationProtocol": "%s"}}
                """.formatted(lab.fact("PBX_IP"), phoneTransport));
    }

    @AfterAll
    static void stopBridge() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
    }

    @BeforeEach
    void noClientsYet() throws Exception {
        clients.clear();
        freePortPairs = DaemonSample.of(bridge).freePortPairs();
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
        assertEquals(
                freePortPairs,
                sample.freePortPairs(),
                "RTP port pairs still held: " + sample + "; sessions " + sessions);
        assertEquals(0, sample.callsActive(), "calls still active: " + sample);
    }

    /** linphonec on the phone's LAN address (port 5062), registering {@code user} through the bridge. */
    Linphonec linphonecPhone(String name, String user) throws Exception {
        return linphonecPhone(name, user, true);
    }

    Linphonec linphonecPhone(String name, String user, boolean autoAnswer) throws Exception {
        Linphonec phone = Linphonec.start(
                lab,
                dir,
                name,
                lab.fact("PHONE_IP"),
                5062,
                7078,
                lab.fact("BRIDGE_LAN_IP") + ":8060",
                user,
                PHONE_HZ,
                autoAnswer);
        clients.add(phone);
        phone.awaitRegistered();
        return phone;
    }

    /** Waits until the PBX holds no binding whose location line starts with {@code prefix} ("AOR CONTACT"). */
    void awaitNoBindings(String prefix) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> left =
                pbx.locations().stream().filter(l -> l.startsWith(prefix)).toList();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            left = pbx.locations().stream().filter(l -> l.startsWith(prefix)).toList();
        }
        assertEquals(List.of(), left, "bindings left at the PBX");
    }

    /** baresip on the phone's LAN address, registering {@code user} through the bridge; returns once registered. */
    Baresip baresipPhone(String name, String user, String transport) throws Exception {
        Baresip phone = Baresip.start(
                lab,
                "phone",
                dir,
                name,
                lab.fact("PHONE_IP") + ":5060",
                10000,
                Baresip.account(user, "pass" + user, lab.fact("BRIDGE_LAN_IP") + ":8060", transport),
                PHONE_HZ,
                false);
        clients.add(phone);
        phone.awaitRegistered();
        return phone;
    }

    /** baresip behind the PBX, registered at Kamailio as {@code user} from {@code port}. */
    Baresip farEnd(String name, String user, int port, int toneHz) throws Exception {
        Baresip far = Baresip.start(
                lab,
                "pbx",
                dir,
                name,
                lab.fact("PBX_IP") + ":" + port,
                20000 + (port - 5000) * 10,
                Baresip.account(user, "pass" + user, lab.fact("PBX_IP") + ":5060", "udp"),
                toneHz,
                false);
        clients.add(far);
        far.awaitRegistered();
        return far;
    }

    /**
     * linphonec's recording of its last call carries the far end's tone and the far end's carries
     * {@link #PHONE_HZ}. linphonec's recording is measured over its last 1.5 s: when it places the call
     * the file starts with what it played while waiting (a transferred call read 1494 Hz for 1700 Hz
     * over the first seconds).
     */
    static void assertTwoWayAudio(Linphonec phone, Baresip far) throws Exception {
        ToneCheck.assertTone(phone.recording(), far.toneHz(), "heard by " + phone, "-1.5");
        ToneCheck.assertTone(far.lastReceived(), PHONE_HZ, "heard by " + far, "0.5", "2");
    }

    /** {@code caller} dials {@code uri}; returns once it and {@code callee} are in the call. */
    static void dial(Baresip caller, String uri, Baresip callee) throws Exception {
        caller.command("dial", uri);
        caller.awaitEvent("CALL_ESTABLISHED");
        callee.awaitEvent("CALL_ESTABLISHED");
    }

    /** Both talk for {@link #TALK}; {@code hangsUp} hangs up, both see the end; each heard the other's tone. */
    static void talkAndHangUp(Baresip hangsUp, Baresip other) throws Exception {
        Thread.sleep(TALK.toMillis());
        hangsUp.command("hangup", null);
        other.awaitEvent("CALL_CLOSED");
        hangsUp.awaitEvent("CALL_CLOSED");
        assertTwoWayAudio(hangsUp, other);
    }

    /** Each end's recording of its last call carries the other end's tone (the middle 2 s of the call). */
    static void assertTwoWayAudio(Baresip a, Baresip b) throws Exception {
        ToneCheck.assertTone(a.lastReceived(), b.toneHz(), "heard by " + a, "0.5", "2");
        ToneCheck.assertTone(b.lastReceived(), a.toneHz(), "heard by " + b, "0.5", "2");
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

    static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }
}
