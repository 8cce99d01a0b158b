package org.sipbridge.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assertions;

/** The phone's calls through the bridge that several lab tests make: a SIPp callee behind the PBX, a SIPp caller on the LAN. */
final class LabCalls {

    private LabCalls() {
    }

    /** The bridge with the lab PBX as its server and eth0/tun0 as its LAN/VPN adapters. */
    static BridgeDaemon startBridge(LabNetwork lab, Path workDir) throws Exception {
        return startBridge(lab, workDir, "");
    }

    /** As {@link #startBridge(LabNetwork, Path)}, with more config sections, e.g. {@code "media": {…}}. */
    static BridgeDaemon startBridge(LabNetwork lab, Path workDir, String moreSections) throws Exception {
        return BridgeDaemon.start(lab, workDir, """
                {"bridge": {"servers": ["%s:5060"], "lanAdapter": "eth0", "vpnAdapter": "tun0"}%s}
                """.formatted(lab.fact("PBX_IP"), moreSections.isEmpty() ? "" : ", " + moreSections));
    }

    /** The phone (SIPp as user 1001, answering the PBX's challenge) registers through the bridge from port 5061. */
    static void registerPhone(LabNetwork lab, BridgeDaemon daemon) throws Exception {
        LabNetwork.Result registered = registerPhoneFrom(lab, 5061);
        org.junit.jupiter.api.Assertions.assertEquals(0, registered.exitCode(), registered.output() + daemon.process().output());
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
        return Sipp.run(lab, host, "phone-register.xml", lab.fact("PHONE_IP"), port,
                lab.fact("BRIDGE_LAN_IP") + ":8060", "-key", "domain", "sipbridge.lab", "-s", user, "-ap", "pass" + user);
    }

    /** Starts a SIPp callee ({@code lab/sipp/<scenario>}) at the PBX's 5070 for one call. */
    static LabProcess callee(LabNetwork lab, Path dir, String scenario, int mediaPort) throws Exception {
        LabProcess callee = lab.start("pbx", dir.resolve("callee-" + scenario + "-" + mediaPort), Map.of(), "sipp", "-sf",
                LabNetwork.REPO.resolve("lab/sipp/" + scenario).toString(), "-i", lab.fact("PBX_IP"), "-p", "5070",
                "-mi", lab.fact("PBX_IP"), "-mp", String.valueOf(mediaPort), "-m", "1", "-timeout", "30", "-nostdin");
        Thread.sleep(300); // SIPp binds its port
        return callee;
    }

    /**
     * The trusted callee host of the PBX calls user 1001 (Kamailio finds the bridge's contact); the phone
     * (SIPp) answers on the contact it registered (port 5061), echoes the audio, and the caller hangs up.
     */
    static void pbxCallsThePhone(LabNetwork lab, Path dir, BridgeDaemon daemon) throws Exception {
        LabProcess phone = lab.start("phone", dir.resolve("phone-uas"), Map.of(), "sipp", "-sf",
                LabNetwork.REPO.resolve("lab/sipp/uas-answer.xml").toString(), "-i", lab.fact("PHONE_IP"), "-p", "5061",
                "-mi", lab.fact("PHONE_IP"), "-mp", "7100", "-rtp_echo", "-m", "1", "-timeout", "30", "-nostdin");
        try {
            Thread.sleep(500); // SIPp binds its port
            LabNetwork.Result caller = Sipp.run(lab, "pbx", "uac.xml", lab.fact("PBX_IP"), 5070,
                    lab.fact("PBX_IP") + ":5060", "-s", "1001", "-key", "caller", "2000", "-d", "2000",
                    "-mi", lab.fact("PBX_IP"), "-mp", "6100");
            Assertions.assertEquals(0, caller.exitCode(), caller.output() + "\n" + daemon.process().output());
            Assertions.assertEquals(0, phone.stop(Duration.ofSeconds(10)), phone.output());
        } finally {
            phone.close();
        }
    }

    /** User 1001 on the phone calls 2000 through the bridge with {@code lab/sipp/<scenario>}, from SIP port {@code port}. */
    static LabNetwork.Result phoneCalls(LabNetwork lab, Path dir, String scenario, int port) throws Exception {
        LabNetwork.Result registered = registerPhoneFrom(lab, port);
        if (registered.exitCode() != 0) {
            return registered;
        }
        Path wav = ToneWav.write(dir.resolve(scenario + "-" + port + ".wav"), 1);
        Path file = dir.resolve(port + "-" + scenario);
        Files.writeString(file, Files.readString(LabNetwork.REPO.resolve("lab/sipp/" + scenario)).replace("[wav]", wav.toString()));
        return Sipp.run(lab, "phone", file.toString(), lab.fact("PHONE_IP"), port, lab.fact("BRIDGE_LAN_IP") + ":8060",
                "-key", "domain", "sipbridge.lab", "-key", "caller", "1001", "-s", "2000", "-au", "1001", "-ap", "pass1001",
                "-d", "1000", "-mi", lab.fact("PHONE_IP"), "-mp", String.valueOf(port + 2000));
    }
}
