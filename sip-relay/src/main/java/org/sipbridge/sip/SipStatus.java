package org.sipbridge.sip;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.status.RegistrationStatus;
import org.sipbridge.contract.status.ServerStatus;
import org.sipbridge.contract.status.StatusDraft;
import org.sipbridge.contract.status.StatusPart;

/**
 * The SIP part of the bridge's status: the registration group's servers and the phones' registrations, and
 * the two Not Ready reasons only SIP knows, no server of the group answering and no phone registered. While
 * the relay is stopped (not started, or disconnected) it has no servers and no registrations.
 */
public final class SipStatus implements StatusPart {

    /** What the part is read from, on each snapshot. */
    public record Sources(
            Supplier<List<String>> configuredServers,
            Supplier<List<ServerStatus>> servers,
            Supplier<List<RegistrationStatus>> registrations) {}

    private final Sources sources;

    public SipStatus(Sources sources) {
        this.sources = sources;
    }

    /** The running relay's servers and registrations; {@code configuredServers}: {@code bridge.servers}. */
    public static SipStatus of(Supplier<Optional<SipRelayService>> relay, Supplier<List<String>> configuredServers) {
        return new SipStatus(new Sources(
                configuredServers,
                () -> relay.get().map(SipRelayService::servers).orElse(List.of()),
                () -> relay.get().map(SipRelayService::registrations).orElse(List.of())));
    }

    @Override
    public void addTo(StatusDraft status) {
        List<String> configured = sources.configuredServers().get();
        List<ServerStatus> servers = sources.servers().get();
        List<RegistrationStatus> registrations = sources.registrations().get();
        status.servers(servers);
        status.registrations(registrations);
        if (!configured.isEmpty() && servers.stream().noneMatch(s -> s.state() == ServerStatus.ServerState.UP)) {
            status.add(Reason.notReady(
                    "sip",
                    "Not connected to any server of the registration group (" + String.join(", ", configured) + ")",
                    "Check that the VPN is connected and that the server addresses are right."));
        }
        if (registrations.isEmpty()) {
            status.add(Reason.notReady(
                    "sip",
                    "The phone has not registered with the bridge",
                    status.lan().resolved()
                            ? "Check that the phone is powered, on the home network, and uses "
                                    + status.lan().adapter().get().addressText()
                                    + " as its SIP server (or provisions through the bridge)."
                            : "Choose the LAN adapter first."));
        }
    }
}
