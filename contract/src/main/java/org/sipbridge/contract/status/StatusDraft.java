package org.sipbridge.contract.status;

import java.util.ArrayList;
import java.util.List;
import org.sipbridge.contract.network.AdapterResolver.Resolution;
import org.sipbridge.contract.service.Reason;

/**
 * The status being composed from its {@link StatusPart}s: the LAN and VPN adapters as resolved for this
 * snapshot (several parts' texts name them), the reasons in the order the parts added them, and the facts
 * only one part knows. One snapshot, one thread: not thread-safe.
 */
public final class StatusDraft {

    private final Resolution lan;
    private final Resolution vpn;
    private final List<Reason> reasons = new ArrayList<>();
    private List<ServerStatus> servers = List.of();
    private List<RegistrationStatus> registrations = List.of();
    private DscpMarking dscpMarking = DscpMarking.unconfirmed("not checked");

    public StatusDraft(Resolution lan, Resolution vpn) {
        this.lan = lan;
        this.vpn = vpn;
    }

    public Resolution lan() {
        return lan;
    }

    public Resolution vpn() {
        return vpn;
    }

    public void add(Reason reason) {
        reasons.add(reason);
    }

    public void addAll(List<Reason> more) {
        reasons.addAll(more);
    }

    /** Every reason so far, Not Ready and warnings, in the order added. */
    public List<Reason> reasons() {
        return List.copyOf(reasons);
    }

    public void servers(List<ServerStatus> servers) {
        this.servers = List.copyOf(servers);
    }

    public List<ServerStatus> servers() {
        return servers;
    }

    public void registrations(List<RegistrationStatus> registrations) {
        this.registrations = List.copyOf(registrations);
    }

    public List<RegistrationStatus> registrations() {
        return registrations;
    }

    public void dscpMarking(DscpMarking dscpMarking) {
        this.dscpMarking = dscpMarking;
    }

    public DscpMarking dscpMarking() {
        return dscpMarking;
    }
}
