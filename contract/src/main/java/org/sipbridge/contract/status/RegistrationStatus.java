package org.sipbridge.contract.status;

/** A phone registration relayed by the bridge. */
public record RegistrationStatus(String aor, String phoneContact, long expiresInSec, String server) {}
