package org.sipbridge.daemon.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipbridge.contract.network.NetworkAdapter;
import org.sipbridge.contract.status.VpnDscp;
import org.sipbridge.contract.status.VpnDscp.Reach;

/** Fake /sys/class/net trees as Linux writes them for each kind of adapter (seen on a 6.x kernel for tun and veth). */
class VpnDscpClassifierTest {

    @TempDir
    Path sys;

    private VpnDscp classify(String name, String displayName) {
        return new VpnDscpClassifier(sys).classify(new NetworkAdapter(name, displayName, true, false, List.of()));
    }

    private void adapter(String name, String uevent, boolean tunFlags) throws IOException {
        Path dir = Files.createDirectories(sys.resolve(name));
        Files.writeString(dir.resolve("uevent"), uevent);
        Files.writeString(dir.resolve("type"), "65534\n");
        if (tunFlags) {
            Files.writeString(dir.resolve("tun_flags"), "0x1001\n");
        }
    }

    @Test
    void aWireGuardInterfaceNeverCarriesTheMarkToTheInternet() throws IOException {
        adapter("wg0", "DEVTYPE=wireguard\nINTERFACE=wg0\nIFINDEX=5\n", false);
        VpnDscp dscp = classify("wg0", "wg0");
        assertEquals(Reach.NOT_COPIED, dscp.reach());
        assertEquals("WireGuard", dscp.vpn());
        assertTrue(
                dscp.explanation()
                        .startsWith("Priority marking cannot reach the internet: WireGuard (wg0) never copies"),
                dscp.explanation());
    }

    @Test
    void anOpenVpnTunCarriesItOnlyWithPasstos() throws IOException {
        adapter("tun0", "INTERFACE=tun0\nIFINDEX=3\n", true);
        VpnDscp dscp = classify("tun0", "tun0");
        assertEquals(Reach.ONLY_IF_CONFIGURED, dscp.reach());
        assertTrue(
                dscp.explanation()
                        .startsWith("Priority marking reaches the internet only if the OpenVPN client runs "
                                + "with passtos"),
                dscp.explanation());
    }

    @Test
    void wireGuardInUserspaceOverTunIsStillWireGuard() throws IOException {
        adapter("tailscale0", "INTERFACE=tailscale0\nIFINDEX=7\n", true);
        adapter("wg1", "INTERFACE=wg1\nIFINDEX=8\n", true);
        assertEquals(Reach.NOT_COPIED, classify("tailscale0", "tailscale0").reach());
        assertEquals(Reach.NOT_COPIED, classify("wg1", "wg1").reach());
    }

    @Test
    void anIpsecXfrmInterfaceCopiesItByDefault() throws IOException {
        adapter("ipsec0", "DEVTYPE=xfrm\nINTERFACE=ipsec0\nIFINDEX=9\n", false);
        VpnDscp dscp = classify("ipsec0", "ipsec0");
        assertEquals(Reach.COPIED, dscp.reach());
        assertEquals("IPsec (XFRM interface)", dscp.vpn());
    }

    @Test
    void aPlainAdapterSaysTheBridgeCannotTell() throws IOException {
        adapter("eth1", "INTERFACE=eth1\nIFINDEX=2\n", false);
        VpnDscp dscp = classify("eth1", "eth1");
        assertEquals(Reach.UNKNOWN, dscp.reach());
        assertTrue(
                dscp.explanation().contains("IPsec copies it by default, OpenVPN only with passtos, WireGuard never"),
                dscp.explanation());
    }

    @Test
    void withoutSysfsTheWindowsDisplayNameDecides() {
        assertEquals(Reach.NOT_COPIED, classify("{5E1C…}", "WireGuard Tunnel").reach());
        assertEquals(
                Reach.ONLY_IF_CONFIGURED,
                classify("{0A1B…}", "TAP-Windows Adapter V9").reach());
        assertEquals(
                Reach.ONLY_IF_CONFIGURED,
                classify("{0A1C…}", "OpenVPN Data Channel Offload").reach());
        assertEquals(Reach.UNKNOWN, classify("utun3", "utun3").reach(), "macOS utun: any VPN");
    }
}
