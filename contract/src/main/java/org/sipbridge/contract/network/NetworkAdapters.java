package org.sipbridge.contract.network;

import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/** Lists this computer's network adapters. */
public final class NetworkAdapters {

    private NetworkAdapters() {}

    public static List<NetworkAdapter> list() {
        List<NetworkAdapter> adapters = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                adapters.add(describe(nic));
            }
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list network adapters: " + e.getMessage(), e);
        }
        adapters.sort(Comparator.comparingInt((NetworkAdapter a) -> a.loopback() ? 1 : 0)
                .thenComparing(NetworkAdapter::name));
        return adapters;
    }

    private static NetworkAdapter describe(NetworkInterface nic) throws SocketException {
        List<Ipv4Subnet> ipv4 = new ArrayList<>();
        for (InterfaceAddress address : nic.getInterfaceAddresses()) {
            if (address.getAddress() instanceof Inet4Address inet4) {
                ipv4.add(Ipv4Subnet.of(inet4, address.getNetworkPrefixLength()));
            }
        }
        String display = nic.getDisplayName() == null ? nic.getName() : nic.getDisplayName();
        return new NetworkAdapter(nic.getName(), display, nic.isUp(), nic.isLoopback(), ipv4);
    }
}
