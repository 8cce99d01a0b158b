package org.sipbridge.daemon.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.sipbridge.contract.network.NetworkAdapter;
import org.sipbridge.contract.status.VpnDscp;
import org.sipbridge.contract.status.VpnDscp.Reach;

/**
 * Can the bridge's DSCP marks reach the internet through this VPN adapter? Each VPN decides whether
 * its outer packets copy the mark of the packet inside: WireGuard never does, OpenVPN only with
 * {@code passtos} (a client setting the bridge cannot read in general), IPsec (tunnel mode) does by
 * default. On Linux the adapter says what it is in sysfs ({@code /sys/class/net/<if>/uevent}'s
 * {@code DEVTYPE=wireguard} or {@code xfrm}, {@code tun_flags} for a tun/tap device); elsewhere only
 * the adapter's display name can hint (Windows' "WireGuard Tunnel", "TAP-Windows Adapter",
 * "OpenVPN Data Channel Offload"). Anything else is {@link Reach#UNKNOWN}.
 */
public final class VpnDscpClassifier {

    static final Path LINUX_SYSFS = Path.of("/sys/class/net");

    private final Path sysClassNet;

    /** Reads the adapters under {@code sysClassNet} (a fake tree in tests). */
    public VpnDscpClassifier(Path sysClassNet) {
        this.sysClassNet = sysClassNet;
    }

    /** This computer's adapters (Linux sysfs; elsewhere the tree is absent and names decide). */
    public static VpnDscpClassifier ofThisComputer() {
        return new VpnDscpClassifier(LINUX_SYSFS);
    }

    public VpnDscp classify(NetworkAdapter adapter) {
        String name = adapter.name();
        Path dir = sysClassNet.resolve(name);
        if (!name.isEmpty() && !name.contains("/") && Files.isDirectory(dir)) {
            return fromSysfs(name, dir);
        }
        return fromDisplayName(name, adapter.displayName().toLowerCase(Locale.ROOT));
    }

    private VpnDscp fromSysfs(String name, Path dir) {
        String devtype = devtype(dir);
        if ("wireguard".equals(devtype)) {
            return wireGuard(name, "WireGuard");
        }
        if ("xfrm".equals(devtype)) {
            return ipsec(name, "IPsec (XFRM interface)");
        }
        if (Files.exists(dir.resolve("tun_flags"))) {
            String lower = name.toLowerCase(Locale.ROOT);
            // wireguard-go and Tailscale run WireGuard over a tun device.
            if (lower.startsWith("wg") || lower.startsWith("tailscale")) {
                return wireGuard(name, "WireGuard (userspace, tun)");
            }
            return openVpn(name, "OpenVPN or another userspace VPN (tun/tap device)");
        }
        return VpnDscp.unknown(
                name,
                name + " is not a tunnel device the bridge recognises (WireGuard, OpenVPN tun, "
                        + "IPsec XFRM); whether DSCP reaches the internet depends on the VPN: IPsec copies it by default, "
                        + "OpenVPN only with passtos, WireGuard never (docs/troubleshooting.md).");
    }

    private static VpnDscp fromDisplayName(String name, String display) {
        if (display.contains("wireguard")) {
            return wireGuard(name, "WireGuard");
        }
        if (display.contains("tap-windows") || display.contains("openvpn")) {
            return openVpn(name, "OpenVPN");
        }
        return VpnDscp.unknown(
                name,
                "The bridge cannot tell from this adapter which VPN it is; IPsec copies DSCP to "
                        + "the internet by default, OpenVPN only with passtos, WireGuard never (docs/troubleshooting.md).");
    }

    private static VpnDscp wireGuard(String name, String vpn) {
        return new VpnDscp(
                name,
                vpn,
                Reach.NOT_COPIED,
                "Priority marking cannot reach the internet: " + vpn + " (" + name
                        + ") never copies the inner DSCP to its outer packets, so home routers and the ISP see voice unmarked.");
    }

    private static VpnDscp openVpn(String name, String vpn) {
        return new VpnDscp(
                name,
                vpn,
                Reach.ONLY_IF_CONFIGURED,
                "Priority marking reaches the internet only if the "
                        + "OpenVPN client runs with passtos (" + name + " is " + vpn
                        + "; the bridge cannot read the client's "
                        + "settings); without it the outer packets carry no priority.");
    }

    private static VpnDscp ipsec(String name, String vpn) {
        return new VpnDscp(
                name,
                vpn,
                Reach.COPIED,
                "Priority marking can reach the internet: " + vpn + " (" + name
                        + ") copies the inner DSCP to its outer packets by default (unless configured not to).");
    }

    /** The fix to show when the VPN hides the marks from the internet or may ({@code null} when it does not). */
    public static String fix(VpnDscp dscp) {
        return switch (dscp.reach()) {
            case NOT_COPIED ->
                "Calls work; if voice breaks up while the home line is busy, prioritise the VPN's traffic "
                        + "on the home router, or ask IT for a VPN that copies DSCP (docs/troubleshooting.md).";
            case ONLY_IF_CONFIGURED ->
                "Ask IT to add passtos to the OpenVPN client's configuration (docs/troubleshooting.md).";
            case COPIED, UNKNOWN -> null;
        };
    }

    /** DEVTYPE from the adapter's uevent, "" when there is none (physical, veth, tun…). */
    private static String devtype(Path dir) {
        try {
            for (String line : Files.readAllLines(dir.resolve("uevent"))) {
                if (line.startsWith("DEVTYPE=")) {
                    return line.substring("DEVTYPE=".length()).trim().toLowerCase(Locale.ROOT);
                }
            }
        } catch (IOException | RuntimeException e) {
            // No readable uevent: decided by the other signs.
        }
        return "";
    }
}
