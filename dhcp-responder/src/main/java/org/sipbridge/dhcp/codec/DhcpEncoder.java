package org.sipbridge.dhcp.codec;

import static org.sipbridge.dhcp.codec.BootpLayout.CHADDR;
import static org.sipbridge.dhcp.codec.BootpLayout.CIADDR;
import static org.sipbridge.dhcp.codec.BootpLayout.FILE;
import static org.sipbridge.dhcp.codec.BootpLayout.FLAGS;
import static org.sipbridge.dhcp.codec.BootpLayout.GIADDR;
import static org.sipbridge.dhcp.codec.BootpLayout.HLEN;
import static org.sipbridge.dhcp.codec.BootpLayout.HOPS;
import static org.sipbridge.dhcp.codec.BootpLayout.HTYPE;
import static org.sipbridge.dhcp.codec.BootpLayout.MAGIC_COOKIE;
import static org.sipbridge.dhcp.codec.BootpLayout.MAGIC_COOKIE_OFFSET;
import static org.sipbridge.dhcp.codec.BootpLayout.MAXIMUM_MESSAGE_LENGTH;
import static org.sipbridge.dhcp.codec.BootpLayout.MINIMUM_MESSAGE_LENGTH;
import static org.sipbridge.dhcp.codec.BootpLayout.OP;
import static org.sipbridge.dhcp.codec.BootpLayout.OPTIONS;
import static org.sipbridge.dhcp.codec.BootpLayout.SECS;
import static org.sipbridge.dhcp.codec.BootpLayout.SIADDR;
import static org.sipbridge.dhcp.codec.BootpLayout.SNAME;
import static org.sipbridge.dhcp.codec.BootpLayout.XID;
import static org.sipbridge.dhcp.codec.BootpLayout.YIADDR;

/**
 * {@link DhcpMessage} to bytes: the fixed header, the magic cookie, the options in the message's
 * order, the end option, then zeros up to 300 bytes. Every option goes in the options field (this
 * encoder never overloads sname/file); a value longer than 255 bytes becomes consecutive instances
 * of its code (RFC 3396), which {@link DhcpDecoder} joins again.
 */
public final class DhcpEncoder {

    private static final int MAX_PART = 255;

    private DhcpEncoder() {}

    public static byte[] encode(DhcpMessage message) {
        long length = Math.max(MINIMUM_MESSAGE_LENGTH, OPTIONS + optionsLength(message.options()) + 1);
        if (length > MAXIMUM_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("the message would be " + length
                    + " bytes, more than a UDP datagram holds (" + MAXIMUM_MESSAGE_LENGTH + ")");
        }
        byte[] packet = new byte[(int) length];
        packet[OP] = (byte) message.op().code();
        packet[HTYPE] = (byte) message.htype();
        packet[HLEN] = (byte) message.hlen();
        packet[HOPS] = (byte) message.hops();
        putInt(packet, XID, message.xid());
        putShort(packet, SECS, message.secs());
        putShort(packet, FLAGS, message.flags());
        putInt(packet, CIADDR, message.ciaddr());
        putInt(packet, YIADDR, message.yiaddr());
        putInt(packet, SIADDR, message.siaddr());
        putInt(packet, GIADDR, message.giaddr());
        message.chaddr().copyTo(packet, CHADDR);
        message.sname().copyTo(packet, SNAME);
        message.file().copyTo(packet, FILE);
        putInt(packet, MAGIC_COOKIE_OFFSET, MAGIC_COOKIE);

        int at = OPTIONS;
        for (DhcpOption option : message.options().list()) {
            at = writeOption(packet, at, option);
        }
        packet[at] = (byte) DhcpOptionCodes.END;
        // The rest stays zero: pad options after the end option.
        return packet;
    }

    private static int writeOption(byte[] packet, int at, DhcpOption option) {
        Octets value = option.value();
        int written = 0;
        do {
            int part = Math.min(MAX_PART, value.length() - written);
            packet[at++] = (byte) option.code();
            packet[at++] = (byte) part;
            value.copyTo(packet, at, written, part);
            at += part;
            written += part;
        } while (written < value.length());
        return at;
    }

    /** Bytes the options take: two header bytes per 255-byte part (at least one part, even when empty). */
    private static long optionsLength(DhcpOptions options) {
        long total = 0;
        for (DhcpOption option : options.list()) {
            long parts = Math.max(1, (option.value().length() + MAX_PART - 1L) / MAX_PART);
            total += 2 * parts + option.value().length();
        }
        return total;
    }

    private static void putInt(byte[] packet, int offset, int value) {
        packet[offset] = (byte) (value >>> 24);
        packet[offset + 1] = (byte) (value >>> 16);
        packet[offset + 2] = (byte) (value >>> 8);
        packet[offset + 3] = (byte) value;
    }

    private static void putShort(byte[] packet, int offset, int value) {
        packet[offset] = (byte) (value >>> 8);
        packet[offset + 1] = (byte) value;
    }
}
