package org.sipbridge.dhcp.codec;

/**
 * Reads one options area (the options field, or an overloaded file or sname field): pad options are
 * skipped, each other option is code, length, value, and the area must close with the end option.
 */
final class OptionAreaReader {

    private OptionAreaReader() {}

    /**
     * Reads {@code packet[from, to)}, which RFC 2131 calls {@code area} ("options field", "file field").
     * Option 52 may only appear in the options field: it is what makes the other two areas exist.
     */
    static void read(byte[] packet, int from, int to, String area, boolean mayOverload, OptionAccumulator into)
            throws MalformedDhcpException {
        int at = from;
        while (at < to) {
            int code = packet[at] & 0xff;
            if (code == DhcpOptionCodes.PAD) {
                at++;
                continue;
            }
            if (code == DhcpOptionCodes.END) {
                return;
            }
            if (code == DhcpOptionCodes.OVERLOAD && !mayOverload) {
                throw new MalformedDhcpException("option 52 (overload) inside the " + area);
            }
            if (at + 1 >= to) {
                throw new MalformedDhcpException("option " + code + " has no length byte: the " + area + " ends first");
            }
            int length = packet[at + 1] & 0xff;
            int valueStart = at + 2;
            if (valueStart + length > to) {
                throw new MalformedDhcpException("option " + code + " runs past the end of the " + area + " (length "
                        + length + ", " + (to - valueStart) + " bytes left)");
            }
            into.add(code, packet, valueStart, length);
            at = valueStart + length;
        }
        throw new MalformedDhcpException("the " + area + " has no end option (255)");
    }
}
