package org.sipbridge.contract.status;

/**
 * The LAN or VPN adapter as configured and as found: {@code spec} is the config value; name and
 * address are empty and {@code problem} says why when it could not be resolved.
 */
public record AdapterStatus(
        String role,
        String spec,
        String name,
        String displayName,
        String address,
        String subnet,
        boolean resolved,
        String problem) {}
