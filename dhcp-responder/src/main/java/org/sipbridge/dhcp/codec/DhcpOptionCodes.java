package org.sipbridge.dhcp.codec;

import java.util.OptionalInt;

/** Option codes of RFC 2132 this module reads or writes, and the fixed lengths it enforces. */
public final class DhcpOptionCodes {

    /** Framing: skipped by readers, never a real option. */
    public static final int PAD = 0;

    public static final int SUBNET_MASK = 1;
    public static final int HOST_NAME = 12;
    public static final int LEASE_TIME = 51;
    /** Framing: says that options continue in {@code file} (1), {@code sname} (2) or both (3). */
    public static final int OVERLOAD = 52;

    public static final int MESSAGE_TYPE = 53;
    public static final int SERVER_IDENTIFIER = 54;
    public static final int PARAMETER_REQUEST_LIST = 55;
    public static final int VENDOR_CLASS_IDENTIFIER = 60;
    public static final int CLIENT_IDENTIFIER = 61;
    /** Framing: ends an options area. */
    public static final int END = 255;

    private DhcpOptionCodes() {}

    /**
     * The exact length RFC 2132 gives the options this module interprets; empty for the others, whose
     * values are kept as they came. Checked after RFC 3396 concatenation, so a repeated option 53 is an error.
     */
    public static OptionalInt requiredLength(int code) {
        return switch (code) {
            case OVERLOAD, MESSAGE_TYPE -> OptionalInt.of(1);
            case SERVER_IDENTIFIER -> OptionalInt.of(4);
            default -> OptionalInt.empty();
        };
    }
}
