package org.sipbridge.dhcp.codec;

/** Messages built in code for tests; real-world packets come from {@link GoldenPackets}. */
public final class TestMessages {

    private TestMessages() {}

    /** A request from the golden phone at 198.18.1.10 with the given options. */
    public static DhcpMessage request(DhcpOptions options) {
        return request(GoldenPackets.PHONE_IP, 0, GoldenPackets.PHONE_MAC, options);
    }

    public static DhcpMessage request(int ciaddr, int giaddr, Octets mac, DhcpOptions options) {
        byte[] chaddr = new byte[DhcpMessage.CHADDR_LENGTH];
        System.arraycopy(mac.toByteArray(), 0, chaddr, 0, mac.length());
        return new DhcpMessage(
                BootOp.BOOTREQUEST,
                1,
                mac.length(),
                0,
                GoldenPackets.XID,
                0,
                0,
                ciaddr,
                0,
                0,
                giaddr,
                Octets.of(chaddr),
                Octets.zeros(DhcpMessage.SNAME_LENGTH),
                Octets.zeros(DhcpMessage.FILE_LENGTH),
                options);
    }

    public static DhcpOptions inform(DhcpOption... more) {
        DhcpOptions options = DhcpOptions.of(DhcpOption.messageType(DhcpMessageType.INFORM));
        for (DhcpOption option : more) {
            options = options.with(option);
        }
        return options;
    }
}
