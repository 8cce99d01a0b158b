package org.sipbridge.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.contract.network.NetworkAdapter;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.status.BridgeState;
import org.sipbridge.contract.status.BridgeStatus;
import org.sipbridge.contract.status.DscpMarking;
import org.sipbridge.contract.status.RegistrationStatus;
import org.sipbridge.contract.status.ServerStatus;
import org.sipbridge.contract.status.VpnDscp;
import org.sipbridge.sip.SipStatus;

class StatusAggregatorTest {

    private static final List<NetworkAdapter> ADAPTERS = List.of(
            new NetworkAdapter("eth0", "eth0", true, false, List.of(Ipv4Subnet.parse("198.18.1.1/24"))),
            new NetworkAdapter("tun0", "tun0", true, false, List.of(Ipv4Subnet.parse("198.19.2.1/24"))),
            new NetworkAdapter("tun1", "tun1", true, false, List.of(Ipv4Subnet.parse("198.18.1.77/16"))),
            new NetworkAdapter("lo", "lo", true, true, List.of(Ipv4Subnet.parse("127.0.0.1/8"))));
    private static final RegistrationStatus REGISTERED =
            new RegistrationStatus("sip:1001@sipbridge.lab", "sip:1001@198.18.1.10:5060", 300, "198.19.2.10:5060");

    private static BridgeConfig configured(String lan, String vpn) {
        BridgeConfig d = BridgeConfig.defaults();
        return d.withBridge(d.bridge().withServers(List.of("198.19.2.10")).withAdapters(lan, vpn));
    }

    private static BridgeStatus status(
            BridgeConfig config,
            List<Reason> serviceReasons,
            List<ServerStatus> servers,
            List<RegistrationStatus> registrations) {
        return status(
                config,
                serviceReasons,
                servers,
                registrations,
                DscpMarking.confirmed(),
                StatusAggregatorTest::unknownVpn);
    }

    /** The status with the parts the daemon supplies: the services' reasons, SIP, DSCP. */
    private static BridgeStatus status(
            BridgeConfig config,
            List<Reason> serviceReasons,
            List<ServerStatus> servers,
            List<RegistrationStatus> registrations,
            DscpMarking dscp,
            java.util.function.Function<NetworkAdapter, VpnDscp> vpnDscp) {
        return new StatusAggregator(
                        new StatusAggregator.Sources(
                                () -> config,
                                () -> ADAPTERS,
                                List::of,
                                List::of,
                                List.of(
                                        draft -> draft.addAll(serviceReasons),
                                        new SipStatus(new SipStatus.Sources(
                                                () -> config.bridge().servers(), () -> servers, () -> registrations)),
                                        new DscpStatus(dscp, vpnDscp))),
                        "1.0",
                        "host",
                        Instant.EPOCH)
                .snapshot();
    }

    private static List<String> messages(List<Reason> reasons) {
        return reasons.stream().map(Reason::message).toList();
    }

    @Test
    void aChosenAdapterThatIsAwaySaysToReconnectAndThatTheBridgeRecoversByItself() {
        BridgeStatus status = status(configured("eth0", "tun9"), List.of(), List.of(serverUp()), List.of());
        Reason vpn = status.reasons().get(0);
        assertEquals("The VPN adapter \"tun9\" cannot be used: no adapter named tun9", vpn.message());
        assertEquals(
                "Connect the VPN; sipbridge notices within seconds and rebinds on its own. If another adapter is "
                        + "meant, choose the VPN adapter under Configuration › Bridge (bridge.vpnAdapter); this computer has "
                        + "eth0 (198.18.1.1), tun0 (198.19.2.1), tun1 (198.18.1.77).",
                vpn.fix());
    }

    @Test
    void aFreshInstallSaysWhatIsMissing() {
        BridgeStatus status = status(BridgeConfig.defaults(), List.of(), List.of(), List.of());
        assertEquals(BridgeState.NOT_READY, status.state());
        assertEquals(
                List.of(
                        "Configuration is not complete: no PBX server is set",
                        "Configuration is not complete: the LAN adapter is not chosen",
                        "Configuration is not complete: the VPN adapter is not chosen",
                        "The phone has not registered with the bridge"),
                messages(status.reasons()));
        assertEquals(
                "Choose the adapter on the home network under Configuration › Bridge (bridge.lanAdapter); "
                        + "this computer has eth0 (198.18.1.1), tun0 (198.19.2.1), tun1 (198.18.1.77).",
                status.reasons().get(1).fix());
    }

    @Test
    void configuredButNotConnected() {
        BridgeStatus status = status(configured("eth0", "tun0"), List.of(), List.of(), List.of());
        assertEquals(
                List.of(
                        "Not connected to any server of the registration group (198.19.2.10)",
                        "The phone has not registered with the bridge"),
                messages(status.reasons()));
        assertEquals("198.18.1.1", status.lanAdapter().address());
        assertEquals("198.19.2.0/24", status.vpnAdapter().subnet());
        assertEquals(
                "Check that the phone is powered, on the home network, and uses 198.18.1.1 as its SIP server "
                        + "(or provisions through the bridge).",
                status.reasons().get(1).fix());
    }

    @Test
    void readyWhenConnectedAndRegisteredWhateverTheWarnings() {
        BridgeStatus status = status(
                configured("eth0", "198.19.2.1"),
                List.of(Reason.warning("dhcp", "port 67 taken", "")),
                List.of(serverUp()),
                List.of(REGISTERED));
        assertEquals(BridgeState.READY, status.state());
        assertEquals(List.of(), status.reasons());
        assertEquals(List.of("port 67 taken"), messages(status.warnings()));
    }

    @Test
    void overlappingSubnetsAndServiceFailuresAreNotReady() {
        BridgeStatus status = status(
                configured("eth0", "tun1"),
                List.of(Reason.notReady("sip", "sip-relay could not start: port 8060 taken", "")),
                List.of(serverUp()),
                List.of(REGISTERED));
        assertEquals(BridgeState.NOT_READY, status.state());
        assertEquals(
                List.of(
                        "The home network and the VPN use the same addresses: the LAN subnet 198.18.1.0/24 (eth0) "
                                + "overlaps the VPN subnet 198.18.0.0/16 (tun1)",
                        "sip-relay could not start: port 8060 taken"),
                messages(status.reasons()));
    }

    @Test
    void anAdapterThatVanishedIsNamed() {
        BridgeStatus status = status(configured("eth0", "wg0"), List.of(), List.of(serverUp()), List.of(REGISTERED));
        assertEquals(
                List.of("The VPN adapter \"wg0\" cannot be used: no adapter named wg0"), messages(status.reasons()));
        assertEquals(false, status.vpnAdapter().resolved());
    }

    @Test
    void unconfirmedDscpMarkingIsAWarningThatKeepsReady() {
        BridgeConfig config = configured("eth0", "tun0");
        BridgeStatus status = status(
                config,
                List.of(),
                List.of(serverUp()),
                List.of(REGISTERED),
                DscpProbe.probe("Windows 10"),
                StatusAggregatorTest::unknownVpn);
        assertEquals(BridgeState.READY, status.state());
        assertEquals(
                org.sipbridge.contract.status.DscpMarking.State.UNCONFIRMED,
                status.dscpMarking().state());
        assertEquals(
                List.of("DSCP marking cannot be confirmed: " + DscpProbe.WINDOWS_REASON), messages(status.warnings()));
    }

    private static BridgeStatus readyWithVpn(VpnDscp acrossVpn) {
        BridgeConfig config = configured("eth0", "tun0");
        return status(
                config,
                List.of(),
                List.of(serverUp()),
                List.of(REGISTERED),
                DscpMarking.confirmed(),
                adapter -> acrossVpn);
    }

    @Test
    void aVpnThatHidesTheMarkFromTheInternetIsAWarningAndTheStatusSaysWhichVpn() {
        VpnDscp wireGuard = new VpnDscp(
                "tun0", "WireGuard", VpnDscp.Reach.NOT_COPIED, "Priority marking cannot reach the internet");
        BridgeStatus status = readyWithVpn(wireGuard);
        assertEquals(BridgeState.READY, status.state());
        assertEquals(List.of("Priority marking cannot reach the internet"), messages(status.warnings()));
        assertEquals(wireGuard, status.dscpMarking().acrossVpn());

        VpnDscp openVpn = new VpnDscp("tun0", "OpenVPN", VpnDscp.Reach.ONLY_IF_CONFIGURED, "only if passtos");
        assertEquals(List.of("only if passtos"), messages(readyWithVpn(openVpn).warnings()));
    }

    @Test
    void aVpnThatCopiesTheMarkOrAnUnknownOneIsNoWarning() {
        VpnDscp ipsec = new VpnDscp("tun0", "IPsec", VpnDscp.Reach.COPIED, "copies");
        BridgeStatus status = readyWithVpn(ipsec);
        assertEquals(List.of(), status.warnings());
        assertEquals(VpnDscp.Reach.COPIED, status.dscpMarking().acrossVpn().reach());
        assertEquals(
                List.of(), readyWithVpn(VpnDscp.unknown("tun0", "cannot tell")).warnings());
    }

    private static VpnDscp unknownVpn(NetworkAdapter adapter) {
        return VpnDscp.unknown(adapter.name(), "cannot tell");
    }

    private static ServerStatus serverUp() {
        return new ServerStatus("198.19.2.10:5060", ServerStatus.ServerState.UP, true, Instant.now(), 5);
    }
}
