package org.sipbridge.web;

import java.util.List;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.contract.network.NetworkAdapter;

/**
 * One entry of {@code GET /api/adapters}: an adapter as the LAN/VPN adapter choices of Configuration › Bridge
 * show it ({@code pages/config.js} reads every field).
 *
 * @param addresses its IPv4 addresses as text, without prefix length
 */
record AdapterChoice(String name, String displayName, boolean up, boolean loopback, List<String> addresses) {

    AdapterChoice {
        addresses = List.copyOf(addresses);
    }

    static AdapterChoice of(NetworkAdapter adapter) {
        return new AdapterChoice(
                adapter.name(),
                adapter.displayName(),
                adapter.up(),
                adapter.loopback(),
                adapter.ipv4().stream().map(Ipv4Subnet::addressText).toList());
    }
}
