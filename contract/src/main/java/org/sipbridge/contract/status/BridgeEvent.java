package org.sipbridge.contract.status;

import java.time.Instant;

/** Something the bridge did on its own, e.g. rebinding its listeners after the VPN adapter came back. */
public record BridgeEvent(Instant at, String message) {}
