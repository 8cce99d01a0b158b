package org.sipbridge.contract.status;

import java.time.Instant;
import java.util.List;
import org.sipbridge.contract.service.Reason;

/**
 * Everything {@code GET /api/status} reports. {@code reasons} are what keeps the bridge Not Ready;
 * {@code warnings} are problems that do not stop calls and never change the state; {@code events}
 * are what the bridge recently did on its own (newest first), e.g. rebinding after the VPN came back.
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
        List<BridgeEvent> events,
        DscpMarking dscpMarking) {

    /** A status without recent events or a DSCP check (callers that do not probe the OS). */
    public BridgeStatus(
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
            Instant runningSince) {
        this(
                state,
                reasons,
                warnings,
                bridgeName,
                lanAdapter,
                vpnAdapter,
                servers,
                registrations,
                pendingRestart,
                version,
                machineName,
                runningSince,
                List.of(),
                DscpMarking.unconfirmed("not checked"));
    }

    public BridgeStatus {
        events = List.copyOf(events);
        reasons = List.copyOf(reasons);
        warnings = List.copyOf(warnings);
        servers = List.copyOf(servers);
        registrations = List.copyOf(registrations);
        pendingRestart = List.copyOf(pendingRestart);
    }
}
