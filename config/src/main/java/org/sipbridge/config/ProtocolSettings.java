package org.sipbridge.config;

/** Configuration › Protocols: the SIP transports, their timers, and the DSCP mark on SIP packets. */
public record ProtocolSettings(
        UdpSettings udp, TcpSettings tcp, TlsSettings tls, boolean sipQosTaggingEnabled, int sipQosDscpValue) {

    /** CS3: the usual class for call signalling. */
    public static final int DEFAULT_SIP_DSCP = 24;

    public static ProtocolSettings defaults() {
        return new ProtocolSettings(
                UdpSettings.defaults(), TcpSettings.defaults(), TlsSettings.defaults(), true, DEFAULT_SIP_DSCP);
    }

    public ProtocolSettings withUdp(UdpSettings value) {
        return new ProtocolSettings(value, tcp, tls, sipQosTaggingEnabled, sipQosDscpValue);
    }
}
