package org.sipbridge.config;

/** SIP over UDP, and the retransmission timers of RFC 3261 §17 that the bridge uses on UDP legs. */
public record UdpSettings(boolean enabled, int port, int t1Ms, int t2Ms, int maxInviteRetries, int maxPacketRetries) {

    public static UdpSettings defaults() {
        return new UdpSettings(true, 8060, 500, 1000, 3, 4);
    }

    public UdpSettings withPort(int value) {
        return new UdpSettings(enabled, value, t1Ms, t2Ms, maxInviteRetries, maxPacketRetries);
    }

    public UdpSettings withT1Ms(int value) {
        return new UdpSettings(enabled, port, value, t2Ms, maxInviteRetries, maxPacketRetries);
    }
}
