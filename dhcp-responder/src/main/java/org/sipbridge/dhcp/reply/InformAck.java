package org.sipbridge.dhcp.reply;

import org.sipbridge.dhcp.codec.BootOp;
import org.sipbridge.dhcp.codec.DhcpMessage;
import org.sipbridge.dhcp.codec.DhcpMessageType;
import org.sipbridge.dhcp.codec.DhcpOption;
import org.sipbridge.dhcp.codec.DhcpOptionCodes;
import org.sipbridge.dhcp.codec.DhcpOptions;
import org.sipbridge.dhcp.codec.Octets;

/**
 * The DHCPACK that answers a DHCPINFORM (RFC 2131 §4.3.5 and table 3): the request's xid, flags,
 * ciaddr, giaddr, htype, hlen and chaddr; yiaddr 0 because no address is being leased; no lease time
 * (51); message type ACK, server identifier = the bridge's LAN address, and the provisioning URL in the
 * configured option whether or not the client listed it in option 55 (Polycom phones do not always).
 */
final class InformAck {

    private InformAck() {}

    static DhcpMessage build(DhcpMessage inform, ResponderSettings settings) {
        DhcpOptions options = DhcpOptions.of(
                DhcpOption.messageType(DhcpMessageType.ACK),
                DhcpOption.address(
                        DhcpOptionCodes.SERVER_IDENTIFIER, settings.lan().address()),
                DhcpOption.text(settings.optionCode(), settings.provisioningUrl()));
        return new DhcpMessage(
                BootOp.BOOTREPLY,
                inform.htype(),
                inform.hlen(),
                0,
                inform.xid(),
                0,
                inform.flags(),
                inform.ciaddr(),
                0,
                0,
                inform.giaddr(),
                inform.chaddr(),
                Octets.zeros(DhcpMessage.SNAME_LENGTH),
                Octets.zeros(DhcpMessage.FILE_LENGTH),
                options);
    }
}
