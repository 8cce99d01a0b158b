package org.sipbridge.dhcp;

import org.sipbridge.contract.network.AdapterResolver;
import org.sipbridge.contract.network.NetworkAdapters;

/**
 * Finds the LAN adapter's current address and subnet from {@code bridge.lanAdapter}. The responder
 * asks it for DHCPINFORMs at most once a second ({@link RecentLanAddress}), so a LAN address that
 * changed is followed without a restart and a flood of INFORMs does not list the adapters per packet.
 */
@FunctionalInterface
public interface LanAddressLookup {

    AdapterResolver.Resolution resolve(String lanAdapterSpec);

    /** This computer's adapters as they are now; reads the kernel's interface list, never the network. */
    static LanAddressLookup systemAdapters() {
        return spec -> AdapterResolver.resolve(spec, NetworkAdapters.list());
    }
}
