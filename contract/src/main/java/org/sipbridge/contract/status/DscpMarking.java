package org.sipbridge.contract.status;

/**
 * Whether the DSCP marks the bridge asks for (RTP/RTCP EF, SIP CS3) really reach the wire:
 * {@code CONFIRMED} when the OS accepted IP_TOS and reads the same value back; {@code UNCONFIRMED}
 * with the reason otherwise (always on Windows, which ignores IP_TOS unless a QoS policy marks the
 * traffic). {@code acrossVpn}: whether the marks also reach the internet, beyond the VPN's tunnel.
 */
public record DscpMarking(State state, String reason, VpnDscp acrossVpn) {

    public enum State {
        CONFIRMED,
        UNCONFIRMED
    }

    /** A marking with nothing known yet about the VPN ({@link #withAcrossVpn} adds it). */
    public DscpMarking(State state, String reason) {
        this(state, reason, VpnDscp.unknown("", "no VPN adapter looked at"));
    }

    public static DscpMarking confirmed() {
        return new DscpMarking(State.CONFIRMED, "");
    }

    public static DscpMarking unconfirmed(String reason) {
        return new DscpMarking(State.UNCONFIRMED, reason);
    }

    /** This marking with what the VPN adapter says about the marks reaching the internet. */
    public DscpMarking withAcrossVpn(VpnDscp vpn) {
        return new DscpMarking(state, reason, vpn);
    }
}
