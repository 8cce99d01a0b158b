package org.sipbridge.sip;

import javax.sip.ListeningPoint;
import javax.sip.SipProvider;
import org.sipbridge.config.Transport;
import org.sipbridge.contract.network.Ipv4Subnet;

/**
 * One side of the bridge: the LAN (toward the phone) or the VPN (toward the PBX), with the provider
 * that owns its listening points and the address they are bound to. Headers that name an address of
 * {@code hidden} never leave on this side (the LAN subnet, for the VPN side; null for none).
 * <p>
 * The address changes only when the VPN comes back with another one ({@link VpnListeningPoints}); the
 * provider, and with it every dialog of the side, stays.
 */
public final class Side {

    private final String name;
    private final SipProvider provider;
    private final Ipv4Subnet hidden;
    private volatile String address;

    public Side(String name, SipProvider provider, String address, Ipv4Subnet hidden) {
        this.name = name;
        this.provider = provider;
        this.address = address;
        this.hidden = hidden;
    }

    public Side(String name, SipProvider provider, String address) {
        this(name, provider, address, null);
    }

    public String name() {
        return name;
    }

    public SipProvider provider() {
        return provider;
    }

    /** The address the side's listening points are bound to now. */
    public String address() {
        return address;
    }

    public Ipv4Subnet hidden() {
        return hidden;
    }

    /** Called once the listening points are bound to {@code newAddress}. */
    void movedTo(String newAddress) {
        address = newAddress;
    }

    /** The port of this side's listening point for {@code transport}, or -1 when it is disabled. */
    public int port(Transport transport) {
        ListeningPoint point = provider.getListeningPoint(transport.key());
        return point == null ? -1 : point.getPort();
    }

    public boolean supports(Transport transport) {
        return provider.getListeningPoint(transport.key()) != null;
    }

    @Override
    public String toString() {
        return name + " " + address;
    }
}
