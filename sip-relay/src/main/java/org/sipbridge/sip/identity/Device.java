package org.sipbridge.sip.identity;

import org.sipbridge.config.Transport;

/**
 * The LAN device a request came from, as the transport saw it. A binding belongs to the device that
 * registered it, and only that device may use the binding's identity.
 *
 * <p>The rule (docs/security.md, "SIP relay"): over UDP a device is its source address and port,
 * since a phone sends everything from its one SIP socket; over TCP and TLS it is the source address
 * alone, since a phone may open a new connection (from a new port) after an idle one was closed.
 */
public record Device(Transport transport, String ip, int port) {

    /** True when {@code other} is this device under the rule above. */
    public boolean isSameAs(Device other) {
        if (other == null || !ip.equals(other.ip)) {
            return false;
        }
        boolean datagrams = transport == Transport.UDP && other.transport == Transport.UDP;
        return !datagrams || port == other.port;
    }

    @Override
    public String toString() {
        return transport.key() + ":" + ip + ":" + port;
    }
}
