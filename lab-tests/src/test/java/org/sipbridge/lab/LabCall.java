package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The call lab the call tests share: namespaces, Kamailio as the PBX, the bridge daemon, and the phone
 * (SIPp, user 1001) registered through the bridge; plus the callee and the phone's audio call.
 */
final class LabCall implements AutoCloseable {

    final LabNetwork lab;
    final Kamailio pbx;
    final BridgeDaemon daemon;
    private final Path dir;
    private final AutoCloseable network;

    private LabCall(LabNetwork lab, Kamailio pbx, BridgeDaemon daemon, Path dir, AutoCloseable network) {
        this.lab = lab;
        this.pbx = pbx;
        this.daemon = daemon;
        this.dir = dir;
        this.network = network;
    }

    /**
     * Starts Kamailio and the bridge (with more config sections, {@code "media": {…}}) on {@code lab} and
     * registers the phone through the bridge; {@code network} is what closing the call closes (and what is
     * closed if this fails): the lab itself, or e.g. the {@link OpenVpnLab} around it. Test classes get it from
     * {@link RegisteredPhoneLab}.
     */
    static LabCall registeredPhone(LabNetwork lab, AutoCloseable network, Path dir, String moreSections)
            throws Exception {
        try {
            Kamailio pbx = Kamailio.start(lab, dir.resolve("kamailio"), lab.fact("PBX_IP"), 5060);
            BridgeDaemon daemon = LabCalls.startBridge(lab, dir.resolve("bridge"), moreSections);
            LabCall call = new LabCall(lab, pbx, daemon, dir, network);
            LabCalls.registerPhone(lab, daemon);
            return call;
        } catch (Exception | AssertionError e) {
            network.close();
            throw e;
        }
    }

    /** User 2000 on the PBX side (SIPp on port 5070) answers one call and echoes its audio. */
    LabProcess echoCallee(String name) throws Exception {
        return lab.start(
                "pbx",
                dir.resolve(name),
                Map.of(),
                "sipp",
                "-sf",
                LabNetwork.REPO.resolve("lab/sipp/uas-answer.xml").toString(),
                "-i",
                lab.fact("PBX_IP"),
                "-p",
                "5070",
                "-mi",
                lab.fact("PBX_IP"),
                "-mp",
                "6000",
                "-rtp_echo",
                "-m",
                "1",
                "-timeout",
                "30",
                "-nostdin");
    }

    /** lab/sipp/phone-call.xml streaming a G.711 tone of {@code seconds} (SIPp does not expand keywords there). */
    Path audioCallScenario(String name, int seconds) throws Exception {
        return audioCallScenario("phone-call.xml", name, seconds);
    }

    /** lab/sipp/{@code template} with its {@code [wav]} a G.711 tone of {@code seconds}. */
    Path audioCallScenario(String template, String name, int seconds) throws Exception {
        Path wav = ToneWav.write(dir.resolve(name + ".wav"), seconds);
        Path scenario = dir.resolve(name + ".xml");
        Files.writeString(
                scenario,
                Files.readString(LabNetwork.REPO.resolve("lab/sipp/" + template))
                        .replace("[wav]", wav.toString()));
        return scenario;
    }

    /**
     * {@link #audioCallScenario(String, int)} whose INVITE offers {@code cryptoLines} SRTP keys, as a phone
     * with SRTP and many codecs does: 9 make the phone-call.xml INVITE over 1400 bytes (in one
     * Ethernet frame still), 10 over 1500.
     */
    Path largeAudioCallScenario(String name, int seconds, int cryptoLines) throws Exception {
        Path scenario = audioCallScenario(name, seconds);
        Files.writeString(
                scenario,
                Files.readString(scenario)
                        .replace("      a=ptime:20\n", "      a=ptime:20\n" + cryptoLines(cryptoLines)));
        return scenario;
    }

    /** {@code count} SDP a=crypto lines (RFC 4568), indented as in lab/sipp's scenarios. */
    static String cryptoLines(int count) {
        StringBuilder keys = new StringBuilder();
        for (int tag = 1; tag <= count; tag++) {
            keys.append("      a=crypto:")
                    .append(tag)
                    .append(
                            " AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVzcyAoZXhp|2^20|1:32\n");
        }
        return keys.toString();
    }

    /** The phone calls 2000 through the bridge with {@code scenario} and hangs up after {@code pauseMs}. */
    LabNetwork.Result phoneCalls(Path scenario, int sipPort, int pauseMs) throws Exception {
        LabNetwork.Result registered = LabCalls.registerPhoneFrom(lab, sipPort);
        if (registered.exitCode() != 0) {
            return registered;
        }
        return Sipp.run(
                lab,
                "phone",
                scenario.toString(),
                lab.fact("PHONE_IP"),
                sipPort,
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
                String.valueOf(pauseMs),
                "-mi",
                lab.fact("PHONE_IP"),
                "-mp",
                "7000");
    }

    /** The latest answered call of the lab phone in /api/sessions, not an attempt the PBX challenged with 407. */
    com.fasterxml.jackson.databind.JsonNode latestAnsweredCall() throws Exception {
        for (com.fasterxml.jackson.databind.JsonNode candidate : daemon.get("/api/sessions?filter=Lab%20Phone")) {
            if (!candidate.path("answered").isNull()) {
                return candidate;
            }
        }
        throw new AssertionError("no answered call in /api/sessions");
    }

    @Override
    public void close() throws Exception {
        daemon.close();
        network.close();
        assertEquals(List.of(), lab.remainingNamespaces());
    }
}
