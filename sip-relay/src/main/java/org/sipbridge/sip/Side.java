package org.sipbridge.sip;

import javax.sip.ListeningPoint;
import javax.sip.SipProvider;
import org.sipbridge.config.Transport;

/**
 * One side of the bridge: the LAN (toward the phone) or the VPN (toward the PBX), with the provider
 * that owns its listening points and the address they are bound to.
 */
public record Side(String name, SipProvider provider, String address) {

    /** The port of this side's listening point for {@code transport}, or -1 when it is disabled. */
    public int port(Transport transport) {
        ListeningPoint point = provider.getListeningPoint(transport.key());
        return point == null ? -1 : point.getPort();
    }

    public boolean supports(Transport transport) {
        return provider.getListeningPoint(transport.key()) != null;
    }
}
