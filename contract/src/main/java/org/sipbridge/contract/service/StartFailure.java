package org.sipbridge.contract.service;

/**
 * How the status reports a service that could not start: {@link Severity#NOT_READY} for what calls need
 * (the bridge is then Not Ready), {@link Severity#WARNING} for the rest, and what the operator can do.
 * Each service supplies its own ({@link BridgeService#startFailure()}); the daemon only lists services.
 */
public record StartFailure(Severity severity, String fix) {

    public static StartFailure notReady(String fix) {
        return new StartFailure(Severity.NOT_READY, fix);
    }

    public static StartFailure warning(String fix) {
        return new StartFailure(Severity.WARNING, fix);
    }
}
