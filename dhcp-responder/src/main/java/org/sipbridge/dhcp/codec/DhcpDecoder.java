package org.sipbridge.dhcp.codec;

import static org.sipbridge.dhcp.codec.BootpLayout.CHADDR;
import static org.sipbridge.dhcp.codec.BootpLayout.CIADDR;
import static org.sipbridge.dhcp.codec.BootpLayout.FILE;
import static org.sipbridge.dhcp.codec.BootpLayout.FLAGS;
import static org.sipbridge.dhcp.codec.BootpLayout.GIADDR;
import static org.sipbridge.dhcp.codec.BootpLayout.HEADER_LENGTH;
import static org.sipbridge.dhcp.codec.BootpLayout.HLEN;
import static org.sipbridge.dhcp.codec.BootpLayout.HOPS;
import static org.sipbridge.dhcp.codec.BootpLayout.HTYPE;
import static org.sipbridge.dhcp.codec.BootpLayout.MAGIC_COOKIE;
import static org.sipbridge.dhcp.codec.BootpLayout.MAGIC_COOKIE_OFFSET;
import static org.sipbridge.dhcp.codec.BootpLayout.OP;
import static org.sipbridge.dhcp.codec.BootpLayout.OPTIONS;
import static org.sipbridge.dhcp.codec.BootpLayout.SECS;
import static org.sipbridge.dhcp.codec.BootpLayout.SIADDR;
import static org.sipbridge.dhcp.codec.BootpLayout.SNAME;
import static org.sipbridge.dhcp.codec.BootpLayout.XID;
import static org.sipbridge.dhcp.codec.BootpLayout.YIADDR;

/**
 * Bytes to {@link DhcpMessage}: strict, and total over every input. Any byte array either decodes or
 * raises {@link MalformedDhcpException} naming the first problem; one pass, no recursion, so the work
 * is linear in the length of the datagram.
 */
public final class DhcpDecoder {

    private static final int OVERLOAD_FILE = 1;
    private static final int OVERLOAD_SNAME = 2;

    private DhcpDecoder() {}

    public static DhcpMessage decode(byte[] packet) throws MalformedDhcpException {
        int length = packet.length;
        if (length < HEADER_LENGTH) {
            throw new MalformedDhcpException("truncated: " + length + " bytes, BOOTP header needs " + HEADER_LENGTH);
        }
        int opCode = packet[OP] & 0xff;
        BootOp op = BootOp.fromCode(opCode)
                .orElseThrow(() ->
                        new MalformedDhcpException("op " + opCode + " is neither BOOTREQUEST (1) nor BOOTREPLY (2)"));
        int hlen = packet[HLEN] & 0xff;
        if (hlen > DhcpMessage.CHADDR_LENGTH) {
            throw new MalformedDhcpException("hlen " + hlen + " > " + DhcpMessage.CHADDR_LENGTH);
        }
        if (length < OPTIONS) {
            throw new MalformedDhcpException("truncated: " + length + " bytes, the magic cookie needs " + OPTIONS);
        }
        int cookie = Ipv4.fromBytes(packet, MAGIC_COOKIE_OFFSET);
        if (cookie != MAGIC_COOKIE) {
            throw new MalformedDhcpException("bad magic cookie " + Ipv4.text(cookie) + " (expected 99.130.83.99)");
        }

        OptionAccumulator options = new OptionAccumulator();
        OptionAreaReader.read(packet, OPTIONS, length, "options field", true, options);
        int overload = options.overload().orElse(0);
        // RFC 2131 §4.1: file is read before sname.
        boolean fileHoldsOptions = (overload & OVERLOAD_FILE) != 0;
        boolean snameHoldsOptions = (overload & OVERLOAD_SNAME) != 0;
        if (fileHoldsOptions) {
            OptionAreaReader.read(
                    packet, FILE, FILE + DhcpMessage.FILE_LENGTH, "file field (overloaded)", false, options);
        }
        if (snameHoldsOptions) {
            OptionAreaReader.read(
                    packet, SNAME, SNAME + DhcpMessage.SNAME_LENGTH, "sname field (overloaded)", false, options);
        }

        return new DhcpMessage(
                op,
                packet[HTYPE] & 0xff,
                hlen,
                packet[HOPS] & 0xff,
                Ipv4.fromBytes(packet, XID),
                unsignedShort(packet, SECS),
                unsignedShort(packet, FLAGS),
                Ipv4.fromBytes(packet, CIADDR),
                Ipv4.fromBytes(packet, YIADDR),
                Ipv4.fromBytes(packet, SIADDR),
                Ipv4.fromBytes(packet, GIADDR),
                Octets.copyOf(packet, CHADDR, CHADDR + DhcpMessage.CHADDR_LENGTH),
                snameHoldsOptions
                        ? Octets.zeros(DhcpMessage.SNAME_LENGTH)
                        : Octets.copyOf(packet, SNAME, SNAME + DhcpMessage.SNAME_LENGTH),
                fileHoldsOptions
                        ? Octets.zeros(DhcpMessage.FILE_LENGTH)
                        : Octets.copyOf(packet, FILE, FILE + DhcpMessage.FILE_LENGTH),
                options.build());
    }

    private static int unsignedShort(byte[] packet, int offset) {
        return (packet[offset] & 0xff) << 8 | (packet[offset + 1] & 0xff);
    }
}
