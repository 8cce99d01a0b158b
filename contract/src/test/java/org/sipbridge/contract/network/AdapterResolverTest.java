package org.sipbridge.contract.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sipbridge.contract.network.AdapterResolver.Resolution;

class AdapterResolverTest {

    private static final NetworkAdapter LAN = new NetworkAdapter(
            "eth0", "Local Area Connection 2", true, false, List.of(Ipv4Subnet.parse("192.168.1.102/24")));
    private static final NetworkAdapter VPN = new NetworkAdapter(
            "tun0",
            "Company VPN",
            true,
            false,
            List.of(Ipv4Subnet.parse("10.8.0.6/24"), Ipv4Subnet.parse("10.9.0.6/24")));
    private static final NetworkAdapter DOWN =
            new NetworkAdapter("wlan0", "Wi-Fi", false, false, List.of(Ipv4Subnet.parse("192.168.5.3/24")));
    private static final NetworkAdapter NO_IPV4 = new NetworkAdapter("docker0", "docker0", true, false, List.of());
    private static final List<NetworkAdapter> ALL = List.of(LAN, VPN, DOWN, NO_IPV4);

    @Test
    void byInterfaceNameDisplayNameOrAddress() {
        assertEquals(
                "192.168.1.102",
                AdapterResolver.resolve("eth0", ALL).adapter().get().addressText());
        assertEquals(
                "eth0",
                AdapterResolver.resolve("Local Area Connection 2", ALL)
                        .adapter()
                        .get()
                        .adapter()
                        .name());
        Resolution secondary = AdapterResolver.resolve("10.9.0.6", ALL);
        assertEquals("tun0", secondary.adapter().get().adapter().name());
        assertEquals("10.9.0.6", secondary.adapter().get().addressText());
    }

    @Test
    void failuresSayWhy() {
        assertEquals("not chosen yet", AdapterResolver.resolve("", ALL).problem());
        assertEquals(
                "no adapter named eth9", AdapterResolver.resolve("eth9", ALL).problem());
        assertEquals(
                "no adapter has the address 10.0.0.1",
                AdapterResolver.resolve("10.0.0.1", ALL).problem());
        assertEquals(
                "adapter wlan0 is down", AdapterResolver.resolve("wlan0", ALL).problem());
        assertEquals(
                "adapter docker0 has no IPv4 address",
                AdapterResolver.resolve("docker0", ALL).problem());
        assertFalse(AdapterResolver.resolve("192.168.5.3", ALL).resolved());
    }

    @Test
    void overlappingSubnetsAreDescribed() {
        ResolvedAdapter lan = AdapterResolver.resolve("eth0", ALL).adapter().get();
        ResolvedAdapter vpn = AdapterResolver.resolve("tun0", ALL).adapter().get();
        assertEquals(Optional.empty(), AdapterResolver.subnetOverlap(lan, vpn));
        ResolvedAdapter clash = new ResolvedAdapter(
                new NetworkAdapter("tun1", "VPN", true, false, List.of()), Ipv4Subnet.parse("192.168.0.4/16"));
        assertEquals(
                Optional.of("the LAN subnet 192.168.1.0/24 (eth0) overlaps the VPN subnet 192.168.0.0/16 (tun1)"),
                AdapterResolver.subnetOverlap(lan, clash));
    }

    @Test
    void thisMachineListsItsLoopbackAdapter() {
        List<NetworkAdapter> adapters = NetworkAdapters.list();
        assertTrue(
                adapters.stream()
                        .anyMatch(a -> a.loopback()
                                && a.up()
                                && a.ipv4().stream()
                                        .anyMatch(s -> s.addressText().equals("127.0.0.1") && s.prefixLength() == 8)),
                adapters::toString);
        assertTrue(AdapterResolver.resolve("127.0.0.1", adapters).resolved());
    }
}
