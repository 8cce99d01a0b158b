package org.sipbridge.dhcp.codec;

/** Byte offsets of the BOOTP/DHCP fixed header (RFC 2131 §2, figure 1), shared by decoder and encoder. */
final class BootpLayout {

    static final int OP = 0;
    static final int HTYPE = 1;
    static final int HLEN = 2;
    static final int HOPS = 3;
    static final int XID = 4;
    static final int SECS = 8;
    static final int FLAGS = 10;
    static final int CIADDR = 12;
    static final int YIADDR = 16;
    static final int SIADDR = 20;
    static final int GIADDR = 24;
    static final int CHADDR = 28;
    static final int SNAME = CHADDR + DhcpMessage.CHADDR_LENGTH;
    static final int FILE = SNAME + DhcpMessage.SNAME_LENGTH;
    /** Everything before the options: op through file. */
    static final int HEADER_LENGTH = FILE + DhcpMessage.FILE_LENGTH;

    static final int MAGIC_COOKIE_OFFSET = HEADER_LENGTH;
    /** 99.130.83.99 (RFC 2131 §3). */
    static final int MAGIC_COOKIE = 0x63825363;

    static final int OPTIONS = MAGIC_COOKIE_OFFSET + 4;
    /**
     * RFC 1542 §3.2.1: BOOTP messages are at least 300 bytes (the old 64-byte vendor area); some
     * clients and relays drop shorter ones, so the encoder pads up to it.
     */
    static final int MINIMUM_MESSAGE_LENGTH = 300;
    /** The largest UDP payload over IPv4. */
    static final int MAXIMUM_MESSAGE_LENGTH = 65_507;

    private BootpLayout() {}
}
