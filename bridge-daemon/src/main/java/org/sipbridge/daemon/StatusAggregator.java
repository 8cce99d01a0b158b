package org.sipbridge.daemon;

import java.time.Instant;
import java.util.List;
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
import org.sipbridge.contract.status.StatusDraft;
import org.sipbridge.contract.status.StatusPart;

/**
 * One status from the bridge's own facts (is it configured, are its LAN and VPN adapters usable and apart)
 * and the parts each feature supplies ({@link StatusPart}: the services' reasons, the SIP relay's servers
 * and registrations, ...), asked in a fixed order. Ready means no reason of any part is Not Ready; warnings
 * never change the state.
 */
final class StatusAggregator {

    /** What the aggregator reads; each supplier and part is cheap and never blocks on the network. */
    record Sources(
            Supplier<BridgeConfig> config,
            Supplier<List<NetworkAdapter>> adapters,
            Supplier<List<String>> pendingRestart,
            Supplier<List<BridgeEvent>> events,
            List<StatusPart> parts) {}

    private static final String SOURCE = "bridge";

    private final Sources sources;
    private final String version;
    private final String machineName;
    private final Instant runningSince;

    StatusAggregator(Sources sources, String version, String machineName, Instant runningSince) {
        this.sources = sources;
        this.version = version;
        this.machineName = machineName;
        this.runningSince = runningSince;
    }

    BridgeStatus snapshot() {
        BridgeConfig config = sources.config().get();
        BridgeSettings bridge = config.bridge();
        List<NetworkAdapter> adapters = sources.adapters().get();
        Resolution lan = AdapterResolver.resolve(bridge.lanAdapter(), adapters);
        Resolution vpn = AdapterResolver.resolve(bridge.vpnAdapter(), adapters);

        StatusDraft draft = new StatusDraft(lan, vpn);
        configurationReasons(bridge, draft);
        adapterReason("LAN", "bridge.lanAdapter", lan, adapters, draft);
        adapterReason("VPN", "bridge.vpnAdapter", vpn, adapters, draft);
        if (lan.resolved() && vpn.resolved()) {
            AdapterResolver.subnetOverlap(lan.adapter().get(), vpn.adapter().get())
                    .ifPresent(
                            overlap -> draft.add(
                                    Reason.notReady(
                                            SOURCE,
                                            "The home network and the VPN use the same addresses: " + overlap,
                                            "Change the home router's LAN to another subnet (e.g. 192.168.77.0/24), or ask IT to "
                                                    + "change the VPN's; until then the computer cannot tell which adapter reaches the phone.")));
        }
        for (StatusPart part : sources.parts()) {
            part.addTo(draft);
        }

        List<Reason> all = draft.reasons();
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
                draft.servers(),
                draft.registrations(),
                sources.pendingRestart().get(),
                version,
                machineName,
                runningSince,
                sources.events().get(),
                draft.dscpMarking());
    }

    private static void configurationReasons(BridgeSettings bridge, StatusDraft draft) {
        if (bridge.servers().isEmpty()) {
            draft.add(Reason.notReady(
                    SOURCE,
                    "Configuration is not complete: no PBX server is set",
                    "Enter the PBX address under Configuration › Bridge (bridge.servers)."));
        }
    }

    private static void adapterReason(
            String role, String key, Resolution resolution, List<NetworkAdapter> adapters, StatusDraft draft) {
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
        draft.add(Reason.notReady(SOURCE, message, fix));
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
