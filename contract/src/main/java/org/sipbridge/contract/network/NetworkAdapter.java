package org.sipbridge.contract.network;

import java.util.List;

/** A network adapter of this computer, as the adapter lists on the status and config pages show it. */
public record NetworkAdapter(String name, String displayName, boolean up, boolean loopback, List<Ipv4Subnet> ipv4) {

    public NetworkAdapter {
        ipv4 = List.copyOf(ipv4);
    }
}
