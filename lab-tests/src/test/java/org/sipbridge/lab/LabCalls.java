package org.sipbridge.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;

/** The phone's calls through the bridge that several lab tests make: a SIPp callee behind the PBX, a SIPp caller on the LAN. */
final class LabCalls {

    private LabCalls() {}

    /** The bridge with the lab PBX as its server and eth0/tun0 as its LAN/VPN adapters. */
    static BridgeDaemon startBridge(LabNetwork lab, Path workDir) throws Exception {
        return startBridge(lab, workDir, "");
    }

    /** As {@link #startBridge(LabNetwork, Path)}, with more config sections, e.g. {@code "media": {…}}. */
    static BridgeDaemon startBridge(LabNetwork lab, Path workDir, String moreSections) throws Exception {
        return BridgeDaemon.start(lab, workDir, bridgeConfig(lab, moreSections));
    }

    /** The config of {@link #startBridge(LabNetwork, Path, String)}. */
    static String bridgeConfig(LabNetwork lab, String moreSections) {
        return """
                {"bridge": {"servers": ["%s:5060"], "lanAdapter": "eth0", "vpnAdapter": "tun0"}%s}
                """.formatted(lab.fact("PBX_IP"), moreSections.isEmpty() ? "" : ", " + moreSections);
    }

    /** The phone (SIPp as user 1001, answering the PBX's challenge) registers through the bridge from port 5061. */
    static void registerPhone(LabNetwork lab, BridgeDaemon daemon) throws Exception {
        LabNetwork.Result registered = registerPhoneFrom(lab, 5061);
        org.junit.jupiter.api.Assertions.assertEquals(
                0, registered.exitCode(), registered.output() + daemon.process().output());
    }

    /**
     * User 1001 registers from SIP port {@code port}. A phone calls from the socket it registered from
     * (the bridge binds an identity to that UDP address and port), so each SIPp caller on a port of
     * its own registers from it first.
     */
    static LabNetwork.Result registerPhoneFrom(LabNetwork lab, int port) throws Exception {
        return registerPhoneFrom(lab, "phone", "1001", port);
    }

    /** Lab PBX user {@code user} (password "pass" + user) registers from {@code host}'s phone through its bridge. */
    static LabNetwork.Result registerPhoneFrom(LabNetwork lab, String host, String user, int port) throws Exception {
        return Sipp.run(
                lab,
                host,
                "phone-register.xml",
                lab.fact("PHONE_IP"),
                port,
                lab.fact("BRIDGE_LAN_IP") + ":8060",
                "-key",
                "domain",
                "sipbridge.lab",
                "-s",
                user,
                "-ap",
                "pass" + user);
    }

    /** Starts a SIPp callee ({@code lab/sipp/<scenario>}) at the PBX's 5070 for one call. */
    static LabProcess callee(LabNetwork lab, Path dir, String scenario, int mediaPort) throws Exception {
        LabProcess callee = lab.start(
                "pbx",
                dir.resolve("callee-" + scenario + "-" + mediaPort),
                Map.of(),
                "sipp",
                "-sf",
                LabNetwork.REPO.resolve("lab/sipp/" + scenario).toString(),
                "-i",
                lab.fact("PBX_IP"),
                "-p",
                "5070",
                "-mi",
                lab.fact("PBX_IP"),
                "-mp",
                String.valueOf(mediaPort),
                "-m",
                "1",
                "-timeout",
                "30",
                "-nostdin");
        Thread.sleep(300); // SIPp binds its port
        return callee;
    }

    /**
     * The trusted callee host of the PBX calls user 1001 (Kamailio finds the bridge's contact); the phone
     * (SIPp) answers on the contact it registered (port 5061), echoes the audio, and the caller hangs up.
     */
    static void pbxCallsThePhone(LabNetwork lab, Path dir, BridgeDaemon daemon) throws Exception {
        pbxCallsThePhone(lab, dir, daemon, "1001", lab.fact("PHONE_IP"), 5061);
    }

    /** As {@link #pbxCallsThePhone(LabNetwork, Path, BridgeDaemon)}, calling {@code user} registered from {@code ip}:{@code port}. */
    static void pbxCallsThePhone(LabNetwork lab, Path dir, BridgeDaemon daemon, String user, String ip, int port)
            throws Exception {
        LabProcess phone = answeringPhone(lab, dir.resolve("phone-uas-" + user), ip, port, 7100);
        try {
            LabNetwork.Result caller = Sipp.run(
                    lab,
                    "pbx",
                    "uac.xml",
                    lab.fact("PBX_IP"),
                    5070,
                    lab.fact("PBX_IP") + ":5060",
                    "-s",
                    user,
                    "-key",
                    "caller",
                    "2000",
                    "-d",
                    "2000",
                    "-mi",
                    lab.fact("PBX_IP"),
                    "-mp",
                    "6100");
            Assertions.assertEquals(
                    0,
                    caller.exitCode(),
                    caller.output() + "\n" + daemon.process().output());
            Assertions.assertEquals(0, phone.stop(Duration.ofSeconds(10)), phone.output());
        } finally {
            phone.close();
        }
    }

    /**
     * A phone (SIPp on the phone's LAN side at {@code ip}:{@code port}, its registered contact) that answers one
     * call and echoes its audio from {@code mediaPort}; returns once SIPp has had time to bind.
     */
    static LabProcess answeringPhone(LabNetwork lab, Path workDir, String ip, int port, int mediaPort)
            throws Exception {
        LabProcess phone = lab.start(
                "phone",
                workDir,
                Map.of(),
                "sipp",
                "-sf",
                LabNetwork.REPO.resolve("lab/sipp/uas-answer.xml").toString(),
                "-i",
                ip,
                "-p",
                String.valueOf(port),
                "-mi",
                ip,
                "-mp",
                String.valueOf(mediaPort),
                "-rtp_echo",
                "-m",
                "1",
                "-timeout",
                "30",
                "-nostdin");
        Thread.sleep(500); // SIPp binds its port
        return phone;
    }

    /** User 1001 on the phone calls 2000 through the bridge with {@code lab/sipp/<scenario>}, from SIP port {@code port}. */
    static LabNetwork.Result phoneCalls(LabNetwork lab, Path dir, String scenario, int port) throws Exception {
        LabNetwork.Result registered = registerPhoneFrom(lab, port);
        if (registered.exitCode() != 0) {
            return registered;
        }
        return call(
                lab,
                dir,
                scenario,
                lab.fact("PHONE_IP"),
                port,
                lab.fact("BRIDGE_LAN_IP") + ":8060",
                "1001",
                "2000",
                port + 2000);
    }

    /**
     * {@code user} (password pass{@code user}) on the phone at {@code ip}:{@code port}, the socket it registered
     * from, calls {@code target} through {@code proxy} with {@code lab/sipp/<scenario>} streaming a 1 s tone from
     * {@code mediaPort}, and hangs up after a second; {@code more} are further SIPp options (e.g. a transport).
     */
    static LabNetwork.Result call(
            LabNetwork lab,
            Path dir,
            String scenario,
            String ip,
            int port,
            String proxy,
            String user,
            String target,
            int mediaPort,
            String... more)
            throws Exception {
        String name = ip + "-" + port + "-" + target + "-" + scenario;
        Path wav = ToneWav.write(dir.resolve(name + ".wav"), 1);
        Path file = dir.resolve(name);
        Files.writeString(
                file,
                Files.readString(LabNetwork.REPO.resolve("lab/sipp/" + scenario))
                        .replace("[wav]", wav.toString()));
        List<String> options = new ArrayList<>(List.of(
                "-key",
                "domain",
                "sipbridge.lab",
                "-key",
                "caller",
                user,
                "-s",
                target,
                "-au",
                user,
                "-ap",
                "pass" + user,
                "-d",
                "1000",
                "-mi",
                ip,
                "-mp",
                String.valueOf(mediaPort)));
        options.addAll(List.of(more));
        return Sipp.run(lab, "phone", file.toString(), ip, port, proxy, options.toArray(String[]::new));
    }
}
