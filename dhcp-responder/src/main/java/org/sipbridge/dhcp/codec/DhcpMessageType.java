package org.sipbridge.dhcp.codec;

import java.util.Optional;

/** Values of option 53, DHCP message type (RFC 2132 §9.6). */
public enum DhcpMessageType {
    DISCOVER(1),
    OFFER(2),
    REQUEST(3),
    DECLINE(4),
    ACK(5),
    NAK(6),
    RELEASE(7),
    INFORM(8);

    private final int code;

    DhcpMessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type for {@code code}, or empty for values this codec has no name for (e.g. RFC 4388's 10-13). */
    public static Optional<DhcpMessageType> fromCode(int code) {
        for (DhcpMessageType type : values()) {
            if (type.code == code) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
