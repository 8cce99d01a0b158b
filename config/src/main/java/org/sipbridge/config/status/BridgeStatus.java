package org.sipbridge.config.status;

import java.time.Instant;
import java.util.List;
import org.sipbridge.config.service.Reason;

/**
 * Everything {@code GET /api/status} reports. {@code reasons} are what keeps the bridge Not Ready;
 * {@code warnings} are problems that do not stop calls and never change the state.
 */
public record BridgeStatus(
        BridgeState state,
        List<Reason> reasons,
        List<Reason> warnings,
        String bridgeName,
        AdapterStatus lanAdapter,
        AdapterStatus vpnAdapter,
        List<ServerStatus> servers,
        List<RegistrationStatus> registrations,
        List<String> pendingRestart,
        String version,
        String machineName,
        Instant runningSince,
        DscpMarking dscpMarking) {

    /** Without a DSCP check (callers that do not probe the OS). */
    public BridgeStatus(BridgeState state, List<Reason> reasons, List<Reason> warnings, String bridgeName,
                        AdapterStatus lanAdapter, AdapterStatus vpnAdapter, List<ServerStatus> servers,
                        List<RegistrationStatus> registrations, List<String> pendingRestart, String version,
                        String machineName, Instant runningSince) {
        this(state, reasons, warnings, bridgeName, lanAdapter, vpnAdapter, servers, registrations, pendingRestart,
                version, machineName, runningSince, DscpMarking.unconfirmed("not checked"));
    }

    public BridgeStatus {
        reasons = List.copyOf(reasons);
        warnings = List.copyOf(warnings);
        servers = List.copyOf(servers);
        registrations = List.copyOf(registrations);
        pendingRestart = List.copyOf(pendingRestart);
    }
}
