package org.sipbridge.sip;

import javax.sip.ListeningPoint;
import javax.sip.SipProvider;
import org.sipbridge.config.Transport;
import org.sipbridge.config.network.Ipv4Subnet;

/**
 * One side of the bridge: the LAN (toward the phone) or the VPN (toward the PBX), with the provider
 * that owns its listening points and the address they are bound to. Headers that name an address of
 * {@code hidden} never leave on this side (the LAN subnet, for the VPN side; null for none).
 */
public record Side(String name, SipProvider provider, String address, Ipv4Subnet hidden) {

    public Side(String name, SipProvider provider, String address) {
        this(name, provider, address, null);
    }

    /** The port of this side's listening point for {@code transport}, or -1 when it is disabled. */
    public int port(Transport transport) {
        ListeningPoint point = provider.getListeningPoint(transport.key());
        return point == null ? -1 : point.getPort();
    }

    public boolean supports(Transport transport) {
        return provider.getListeningPoint(transport.key()) != null;
    }
}
