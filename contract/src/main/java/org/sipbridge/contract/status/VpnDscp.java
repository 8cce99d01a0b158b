package org.sipbridge.contract.status;

/**
 * Whether the DSCP marks of the bridge's packets inside the VPN can reach the internet, i.e. whether
 * the VPN copies the inner mark to its outer (encrypted) packets, as far as the bridge can tell from
 * the VPN adapter: {@code vpn} names what the adapter is ("OpenVPN (tun)", "WireGuard", "IPsec (XFRM)",
 * or "" when unknown) and {@code explanation} says it in plain words.
 */
public record VpnDscp(String adapter, String vpn, Reach reach, String explanation) {

    public enum Reach {
        /** The VPN copies the inner DSCP to the outer packets (IPsec by default). */
        COPIED,
        /** The VPN never copies it (WireGuard): the outer packets carry no priority. */
        NOT_COPIED,
        /** Only when the VPN is configured to (OpenVPN's passtos); the bridge cannot read that setting. */
        ONLY_IF_CONFIGURED,
        /** The bridge cannot tell from the adapter (an unknown or no tunnel device, another OS). */
        UNKNOWN
    }

    public static VpnDscp unknown(String adapter, String explanation) {
        return new VpnDscp(adapter, "", Reach.UNKNOWN, explanation);
    }
}
