package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the veth lab proves and the other OpenVPN lab tests do not (registration, calls both ways and
 * DSCP are in {@link OpenVpnLabIT}): provisioning and failover over the real tunnel, whose internet
 * link has MTU 1400 and drops fragments, so a firmware download is full-size TCP through OpenVPN.
 */
class OpenVpnParityLabIT {

    private static final int FIRMWARE_BYTES = 3 * 1024 * 1024;

    private static OpenVpnLab vpn;
    private static LabNetwork lab;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        vpn = OpenVpnLab.up("op", dir, true);
        lab = vpn.network();
    }

    @AfterAll
    static void stop() throws Exception {
        if (vpn != null) {
            vpn.close();
            assertEquals(List.of(), lab.remainingNamespaces());
        }
    }

    @Test
    void thePhoneProvisionsThroughTheTunnelByteForByte() throws Exception {
        Path docroot = Files.createDirectories(dir.resolve("docroot"));
        Files.writeString(
                docroot.resolve("0004f2000001.cfg"), "<polycomConfig reg.1.address=\"1001@sipbridge.lab\"/>\n");
        byte[] firmware = new byte[FIRMWARE_BYTES];
        new Random(17).nextBytes(firmware);
        Files.write(docroot.resolve("firmware.ld"), firmware);
        Path nginxDir = dir.resolve("nginx");
        Nginx.selfSignedCertificate(nginxDir, "/CN=provisioning.lab", lab.fact("PBX_IP"));
        try (Nginx upstream = Nginx.start(lab, nginxDir, docroot, lab.fact("PBX_IP"));
                BridgeDaemon daemon = BridgeDaemon.start(lab, dir.resolve("bridge-provisioning"), """
                     {"bridge": {"servers": ["%s:5060"], "lanAdapter": "eth0", "vpnAdapter": "tun0",
                                 "managedPhoneProvisioning": true, "provisioningHttpPort": 8088,
                                 "provisioningUpstream": "%s", "phoneConfigInjection": false}}
                     """.formatted(
                                lab.fact("PBX_IP"), upstream.httpUrl()))) {
            for (String file : List.of("0004f2000001.cfg", "firmware.ld")) {
                Path got = dir.resolve("phone-" + file);
                LabNetwork.Result fetch = lab.exec(
                        "phone",
                        "curl",
                        "-sS",
                        "--max-time",
                        "120",
                        "-o",
                        got.toString(),
                        "-w",
                        "%{http_code} %{time_total}",
                        "http://" + lab.fact("BRIDGE_LAN_IP") + ":8088/" + file);
                System.out.println("provisioning over OpenVPN, " + file + ": " + fetch.output());
                assertEquals(
                        "200",
                        fetch.output().trim().split(" ")[0],
                        fetch.output() + "\n" + daemon.process().output() + "\n" + vpn.logs());
                assertEquals(-1, Files.mismatch(got, docroot.resolve(file)), file + " arrived altered");
            }
        }
    }

    @Test
    void thePhoneStaysRegisteredThroughTheSecondServerAndFailsBack() throws Exception {
        FailoverLabIT.failsOverAndBack(lab, dir.resolve("failover"));
    }
}
