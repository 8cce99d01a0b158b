package org.sipbridge.contract.status;

/** The one word the tray icon shows. */
public enum BridgeState {
    /** Configured, connected to a server, and the phone registered. */
    READY,
    NOT_READY
}
