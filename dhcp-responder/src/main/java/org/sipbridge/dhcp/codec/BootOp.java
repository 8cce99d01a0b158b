package org.sipbridge.dhcp.codec;

import java.util.Optional;

/** The BOOTP {@code op} field (RFC 951, RFC 2131 §2). */
public enum BootOp {
    /** Sent by a client (op 1). */
    BOOTREQUEST(1),
    /** Sent by a server (op 2). */
    BOOTREPLY(2);

    private final int code;

    BootOp(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<BootOp> fromCode(int code) {
        return switch (code) {
            case 1 -> Optional.of(BOOTREQUEST);
            case 2 -> Optional.of(BOOTREPLY);
            default -> Optional.empty();
        };
    }
}
