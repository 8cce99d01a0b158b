package org.sipbridge.dhcp.reply;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.dhcp.codec.DhcpOptionCodes;

/**
 * What the reply rules need to know, taken from the running config for each request: the LAN
 * adapter's address and subnet, the option that carries the URL, the URL itself, and which MACs may
 * be answered.
 */
public record ResponderSettings(Ipv4Subnet lan, int optionCode, String provisioningUrl, MacAllowList allowedMacs) {

    /** A DHCP option value holds at most 255 bytes; a longer URL would need RFC 3396 splitting that phones do not read. */
    public static final int MAX_URL_BYTES = 255;

    /** Options the ACK writes itself (53, 54), must never carry (51) or that are framing (52). */
    private static final Set<Integer> RESERVED = Set.of(
            DhcpOptionCodes.LEASE_TIME,
            DhcpOptionCodes.OVERLOAD,
            DhcpOptionCodes.MESSAGE_TYPE,
            DhcpOptionCodes.SERVER_IDENTIFIER);

    public ResponderSettings {
        Objects.requireNonNull(lan, "lan");
        Objects.requireNonNull(provisioningUrl, "provisioningUrl");
        Objects.requireNonNull(allowedMacs, "allowedMacs");
        if (optionCode < 1 || optionCode > 254 || RESERVED.contains(optionCode)) {
            throw new IllegalArgumentException(
                    "option code " + optionCode + " cannot carry the provisioning URL " + "(1-254, not 51-54)");
        }
        if (provisioningUrl.isEmpty()
                || provisioningUrl.indexOf('\0') >= 0
                || !StandardCharsets.US_ASCII.newEncoder().canEncode(provisioningUrl)) {
            throw new IllegalArgumentException(
                    "the provisioning URL must be non-empty US-ASCII without NUL: " + provisioningUrl);
        }
        if (provisioningUrl.length() > MAX_URL_BYTES) {
            throw new IllegalArgumentException("the provisioning URL is " + provisioningUrl.length()
                    + " bytes; a DHCP option holds at most " + MAX_URL_BYTES);
        }
    }
}
