package org.sipbridge.dhcp.reply;

/** Why a well-formed request got no answer; counted per reason for the status page. */
public enum IgnoreReason {
    NOT_BOOTREQUEST("a BOOTREPLY (another server's answer), not a request"),
    NOT_DHCP("plain BOOTP: no DHCP message type (option 53)"),
    NOT_INFORM("not a DHCPINFORM; the bridge never answers DISCOVER, REQUEST and the like, it is no DHCP server"),
    NO_CLIENT_ADDRESS("a DHCPINFORM with ciaddr 0.0.0.0: there is no address to answer to"),
    OUTSIDE_LAN_SUBNET("the client's address (ciaddr) is outside the LAN adapter's subnet"),
    NOT_A_HOST_ADDRESS("the client's or relay agent's address is the LAN subnet's network or broadcast address: "
            + "no device to answer"),
    RELAY_OUTSIDE_LAN_SUBNET("relayed through an agent (giaddr) outside the LAN adapter's subnet"),
    SOURCE_MISMATCH("the datagram's source address is not the client's ciaddr (or, relayed, the agent's giaddr): "
            + "forged or from another network"),
    MAC_NOT_ALLOWED("the client's MAC is not in the allow-list"),
    PROVISIONING_OFF("bridge.managedPhoneProvisioning is off"),
    NO_LAN_ADDRESS("the LAN adapter (bridge.lanAdapter) has no usable IPv4 address right now");

    private final String description;

    IgnoreReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
