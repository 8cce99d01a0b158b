package org.sipbridge.sip.registration;

import java.time.Instant;
import org.sipbridge.config.ServerAddress;
import org.sipbridge.sip.identity.Device;

/**
 * One phone contact registered through the bridge. The PBX knows it only as
 * {@code bridgeContact} (the bridge's VPN address with the {@code token}); requests to that contact
 * are delivered to {@code phoneContact}. Only {@code device}, the LAN device that registered it, may
 * use the binding's identity.
 */
public record Binding(
        String token,
        String aor,
        String user,
        String phoneContact,
        String bridgeContact,
        ServerAddress server,
        Device device,
        Instant expiresAt) {}
