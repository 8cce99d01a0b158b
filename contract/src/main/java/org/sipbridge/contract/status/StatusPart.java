package org.sipbridge.contract.status;

/**
 * One part of the bridge's status, supplied by the module that knows it: the SIP relay its servers,
 * registrations and why there is no connection or registration; the RTP relay the quality of the calls in
 * progress; the service manager the services' own reasons. The daemon asks every part, in a fixed order,
 * for each snapshot and only aggregates: the bridge is Ready when no part added a Not Ready reason.
 * Called on the thread that takes the snapshot; cheap, and never blocks on the network.
 */
@FunctionalInterface
public interface StatusPart {

    /** Adds this part's reasons (Not Ready or warnings, in the order to show them) and facts to {@code status}. */
    void addTo(StatusDraft status);
}
