package org.sipbridge.contract.network;

import java.util.List;
import java.util.Optional;

/**
 * Finds the adapter a config value names: an interface name ({@code eth0}), a display name
 * ({@code Local Area Connection 2}) or one of its IPv4 addresses. A pure function of the adapter list.
 */
public final class AdapterResolver {

    private AdapterResolver() {}

    /** The outcome: the adapter and address, or why none could be used. */
    public record Resolution(String spec, Optional<ResolvedAdapter> adapter, String problem) {

        static Resolution of(String spec, ResolvedAdapter adapter) {
            return new Resolution(spec, Optional.of(adapter), "");
        }

        static Resolution failed(String spec, String problem) {
            return new Resolution(spec, Optional.empty(), problem);
        }

        public boolean resolved() {
            return adapter.isPresent();
        }
    }

    public static Resolution resolve(String spec, List<NetworkAdapter> adapters) {
        if (spec.isBlank()) {
            return Resolution.failed(spec, "not chosen yet");
        }
        if (Ipv4Subnet.isIpv4Literal(spec)) {
            int wanted = Ipv4Subnet.of(Ipv4Subnet.parseAddress(spec), 32).address();
            for (NetworkAdapter adapter : adapters) {
                for (Ipv4Subnet address : adapter.ipv4()) {
                    if (address.address() == wanted) {
                        return usable(spec, adapter, address);
                    }
                }
            }
            return Resolution.failed(spec, "no adapter has the address " + spec);
        }
        for (NetworkAdapter adapter : adapters) {
            if (adapter.name().equals(spec) || adapter.displayName().equals(spec)) {
                if (adapter.ipv4().isEmpty()) {
                    return Resolution.failed(spec, "adapter " + spec + " has no IPv4 address");
                }
                return usable(spec, adapter, adapter.ipv4().get(0));
            }
        }
        return Resolution.failed(spec, "no adapter named " + spec);
    }

    private static Resolution usable(String spec, NetworkAdapter adapter, Ipv4Subnet address) {
        if (!adapter.up()) {
            return Resolution.failed(spec, "adapter " + adapter.name() + " is down");
        }
        return Resolution.of(spec, new ResolvedAdapter(adapter, address));
    }

    /**
     * Describes an overlap of the LAN and VPN subnets, or empty when they are apart. With an overlap
     * the computer cannot tell which adapter reaches the phone, so the phone never registers.
     */
    public static Optional<String> subnetOverlap(ResolvedAdapter lan, ResolvedAdapter vpn) {
        if (!lan.address().overlaps(vpn.address())) {
            return Optional.empty();
        }
        return Optional.of("the LAN subnet " + lan.address().networkText() + " ("
                + lan.adapter().name() + ") overlaps the VPN subnet "
                + vpn.address().networkText() + " (" + vpn.adapter().name() + ")");
    }
}
