package org.sipbridge.daemon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.BridgeSettings;
import org.sipbridge.contract.network.AdapterResolver;
import org.sipbridge.contract.network.AdapterResolver.Resolution;
import org.sipbridge.contract.network.NetworkAdapter;
import org.sipbridge.contract.network.ResolvedAdapter;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.service.Severity;
import org.sipbridge.contract.status.AdapterStatus;
import org.sipbridge.contract.status.BridgeEvent;
import org.sipbridge.contract.status.BridgeState;
import org.sipbridge.contract.status.BridgeStatus;
import org.sipbridge.contract.status.DscpMarking;
import org.sipbridge.contract.status.RegistrationStatus;
import org.sipbridge.contract.status.ServerStatus;
import org.sipbridge.contract.status.VpnDscp;
import org.sipbridge.daemon.check.VpnDscpClassifier;

/**
 * Combines the config, the adapters, the services' own reasons and the SIP relay's servers and
 * registrations into one status. Ready means: configured, connected to a server, and the phone
 * registered; anything else is Not Ready with every reason spelled out.
 */
final class StatusAggregator {

    /** What the aggregator reads; each supplier is cheap and never blocks on the network. */
    record Sources(
            Supplier<BridgeConfig> config,
            Supplier<List<NetworkAdapter>> adapters,
            Supplier<List<Reason>> serviceReasons,
            Supplier<List<ServerStatus>> servers,
            Supplier<List<RegistrationStatus>> registrations,
            Supplier<List<String>> pendingRestart,
            Supplier<List<BridgeEvent>> events) {}

    private static final String SOURCE = "bridge";

    private final Sources sources;
    private final String version;
    private final String machineName;
    private final Instant runningSince;
    /** Probed once: whether the OS marks packets does not change while we run. */
    private final DscpMarking dscp;
    /** Looked at on every snapshot: the VPN adapter comes and goes, and may come back as another one. */
    private final Function<NetworkAdapter, VpnDscp> vpnDscp;

    StatusAggregator(Sources sources, String version, String machineName, Instant runningSince) {
        this(
                sources,
                version,
                machineName,
                runningSince,
                DscpProbe.probe(),
                VpnDscpClassifier.ofThisComputer()::classify);
    }

    StatusAggregator(
            Sources sources,
            String version,
            String machineName,
            Instant runningSince,
            DscpMarking dscp,
            Function<NetworkAdapter, VpnDscp> vpnDscp) {
        this.sources = sources;
        this.version = version;
        this.machineName = machineName;
        this.runningSince = runningSince;
        this.dscp = dscp;
        this.vpnDscp = vpnDscp;
    }

    BridgeStatus snapshot() {
        BridgeConfig config = sources.config().get();
        BridgeSettings bridge = config.bridge();
        List<NetworkAdapter> adapters = sources.adapters().get();
        Resolution lan = AdapterResolver.resolve(bridge.lanAdapter(), adapters);
        Resolution vpn = AdapterResolver.resolve(bridge.vpnAdapter(), adapters);
        List<ServerStatus> servers = sources.servers().get();
        List<RegistrationStatus> registrations = sources.registrations().get();

        List<Reason> all = new ArrayList<>();
        configurationReasons(bridge, all);
        adapterReason("LAN", "bridge.lanAdapter", lan, adapters, all);
        adapterReason("VPN", "bridge.vpnAdapter", vpn, adapters, all);
        if (lan.resolved() && vpn.resolved()) {
            AdapterResolver.subnetOverlap(lan.adapter().get(), vpn.adapter().get())
                    .ifPresent(
                            overlap -> all.add(
                                    Reason.notReady(
                                            SOURCE,
                                            "The home network and the VPN use the same addresses: " + overlap,
                                            "Change the home router's LAN to another subnet (e.g. 192.168.77.0/24), or ask IT to "
                                                    + "change the VPN's; until then the computer cannot tell which adapter reaches the phone.")));
        }
        all.addAll(sources.serviceReasons().get());
        if (!bridge.servers().isEmpty() && servers.stream().noneMatch(s -> s.state() == ServerStatus.ServerState.UP)) {
            all.add(Reason.notReady(
                    "sip",
                    "Not connected to any server of the registration group (" + String.join(", ", bridge.servers())
                            + ")",
                    "Check that the VPN is connected and that the server addresses are right."));
        }
        if (registrations.isEmpty()) {
            all.add(Reason.notReady(
                    "sip",
                    "The phone has not registered with the bridge",
                    lan.resolved()
                            ? "Check that the phone is powered, on the home network, and uses "
                                    + lan.adapter().get().addressText()
                                    + " as its SIP server (or provisions through the bridge)."
                            : "Choose the LAN adapter first."));
        }

        if (dscp.state() == DscpMarking.State.UNCONFIRMED) {
            all.add(Reason.warning(
                    "media",
                    "DSCP marking cannot be confirmed: " + dscp.reason(),
                    "Calls work, but routers may not prioritise voice; see docs/install.md (QoS policy)."));
        }
        DscpMarking marking = dscp;
        if (vpn.resolved()) {
            VpnDscp acrossVpn = vpnDscp.apply(vpn.adapter().get().adapter());
            marking = dscp.withAcrossVpn(acrossVpn);
            vpnDscpWarning(acrossVpn).ifPresent(all::add);
        }

        List<Reason> blocking =
                all.stream().filter(r -> r.severity() == Severity.NOT_READY).toList();
        List<Reason> warnings =
                all.stream().filter(r -> r.severity() == Severity.WARNING).toList();
        return new BridgeStatus(
                blocking.isEmpty() ? BridgeState.READY : BridgeState.NOT_READY,
                blocking,
                warnings,
                bridge.name(),
                adapterStatus("lan", lan),
                adapterStatus("vpn", vpn),
                servers,
                registrations,
                sources.pendingRestart().get(),
                version,
                machineName,
                runningSince,
                sources.events().get(),
                marking);
    }

    /** A warning when the VPN hides the marks from the internet, or may; none when it copies them or nobody can tell. */
    private static Optional<Reason> vpnDscpWarning(VpnDscp acrossVpn) {
        String fix = VpnDscpClassifier.fix(acrossVpn);
        return fix == null ? Optional.empty() : Optional.of(Reason.warning("media", acrossVpn.explanation(), fix));
    }

    private static void configurationReasons(BridgeSettings bridge, List<Reason> reasons) {
        if (bridge.servers().isEmpty()) {
            reasons.add(Reason.notReady(
                    SOURCE,
                    "Configuration is not complete: no PBX server is set",
                    "Enter the PBX address under Configuration › Bridge (bridge.servers)."));
        }
    }

    private static void adapterReason(
            String role, String key, Resolution resolution, List<NetworkAdapter> adapters, List<Reason> reasons) {
        if (resolution.resolved()) {
            return;
        }
        String choices = adapters.stream()
                .filter(a -> !a.loopback() && !a.ipv4().isEmpty())
                .map(a -> a.name() + " (" + a.ipv4().get(0).addressText() + (a.up() ? "" : ", down") + ")")
                .collect(Collectors.joining(", "));
        String message = resolution.spec().isBlank()
                ? "Configuration is not complete: the " + role + " adapter is not chosen"
                : "The " + role + " adapter \"" + resolution.spec() + "\" cannot be used: " + resolution.problem();
        String fix = "Choose the " + ("LAN".equals(role) ? "adapter on the home network" : "VPN adapter")
                + " under Configuration › Bridge (" + key + ")"
                + (choices.isEmpty() ? "." : "; this computer has " + choices + ".");
        if (!resolution.spec().isBlank()) {
            // The adapter was chosen and may only be away for now (VPN disconnected, cable out).
            fix = ("LAN".equals(role) ? "Reconnect this computer to the home network" : "Connect the VPN")
                    + "; sipbridge notices within seconds and rebinds on its own. If another adapter is meant, c"
                    + fix.substring(1);
        }
        reasons.add(Reason.notReady(SOURCE, message, fix));
    }

    private static AdapterStatus adapterStatus(String role, Resolution resolution) {
        if (resolution.adapter().isEmpty()) {
            return new AdapterStatus(role, resolution.spec(), "", "", "", "", false, resolution.problem());
        }
        ResolvedAdapter adapter = resolution.adapter().get();
        return new AdapterStatus(
                role,
                resolution.spec(),
                adapter.adapter().name(),
                adapter.adapter().displayName(),
                adapter.addressText(),
                adapter.address().networkText(),
                true,
                "");
    }
}
