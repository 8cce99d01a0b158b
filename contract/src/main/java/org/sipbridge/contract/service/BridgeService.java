package org.sipbridge.contract.service;

import java.util.List;

/**
 * One part of the running bridge (a listener, a relay, the web UI). The daemon starts services in
 * order and stops them in reverse; a service that cannot start is reported, the others keep running.
 */
public interface BridgeService {

    /** Short, stable name used in logs and status ("web-admin"). */
    String name();

    /** Binds and starts; throws with the exact cause (e.g. the port that is taken) when it cannot. */
    void start() throws Exception;

    /** Releases every socket and thread; must return within a second or two and never throw. */
    void stop();

    /** How a failure of {@link #start()} shows in the status; by default a warning without advice. */
    default StartFailure startFailure() {
        return StartFailure.warning("");
    }

    /** What currently keeps this service from working fully; empty when healthy. */
    default List<Reason> reasons() {
        return List.of();
    }
}
