package org.sipbridge.contract.service;

/** How much a problem matters to the phone. */
public enum Severity {
    /** Calls cannot work: the bridge is Not Ready. */
    NOT_READY,
    /** Worth fixing, but calls still work (e.g. the provisioning upstream is unreachable). */
    WARNING
}
