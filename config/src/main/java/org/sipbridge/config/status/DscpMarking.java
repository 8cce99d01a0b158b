package org.sipbridge.config.status;

/**
 * Whether the DSCP marks the bridge asks for (RTP/RTCP EF, SIP CS3) really reach the wire:
 * {@code CONFIRMED} when the OS accepted IP_TOS and reads the same value back; {@code UNCONFIRMED}
 * with the reason otherwise (always on Windows, which ignores IP_TOS unless a QoS policy marks the
 * traffic).
 */
public record DscpMarking(State state, String reason) {

    public enum State {
        CONFIRMED, UNCONFIRMED
    }

    public static DscpMarking confirmed() {
        return new DscpMarking(State.CONFIRMED, "");
    }

    public static DscpMarking unconfirmed(String reason) {
        return new DscpMarking(State.UNCONFIRMED, reason);
    }
}
