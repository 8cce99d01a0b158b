package org.sipbridge.rtp.quality;

/** Which way media travels through the bridge. */
public enum Direction {
    /** From the phone (LAN adapter) to the PBX (VPN adapter). */
    LAN_TO_VPN,
    /** From the PBX (VPN adapter) to the phone (LAN adapter). */
    VPN_TO_LAN;

    public Direction opposite() {
        return this == LAN_TO_VPN ? VPN_TO_LAN : LAN_TO_VPN;
    }
}
