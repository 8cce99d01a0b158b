package org.sipbridge.rtp;

import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** This computer's IPv4 addresses: SDP must never make the relay send media to the bridge's own host. */
final class LocalAddresses {

    private static final Logger LOG = LoggerFactory.getLogger(LocalAddresses.class);

    private LocalAddresses() {}

    /** The addresses of every interface now; an empty set (with a warning) if the OS will not list them. */
    static Set<Inet4Address> ipv4() {
        Set<Inet4Address> found = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                nic.inetAddresses().forEach(address -> {
                    if (address instanceof Inet4Address v4) {
                        found.add(v4);
                    }
                });
            }
        } catch (SocketException | RuntimeException e) {
            LOG.warn(
                    "Cannot list this computer's addresses; media is still kept off the LAN and VPN addresses: {}",
                    e.toString());
        }
        return found;
    }
}
