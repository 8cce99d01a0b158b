package org.sipbridge.daemon;

import java.util.List;
import java.util.function.BooleanSupplier;
import org.sipbridge.contract.service.BridgeService;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.service.StartFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service that runs only while a setting is on (the provisioning proxy under
 * {@code bridge.managedPhoneProvisioning}), started and stopped when the setting changes.
 */
final class SwitchableService implements BridgeService {

    private static final Logger log = LoggerFactory.getLogger(SwitchableService.class);

    private final BridgeService delegate;
    private final BooleanSupplier on;
    private boolean running;
    private String lastFailure;

    SwitchableService(BridgeService delegate, BooleanSupplier on) {
        this.delegate = delegate;
        this.on = on;
    }

    @Override
    public StartFailure startFailure() {
        return delegate.startFailure();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public synchronized void start() throws Exception {
        if (on.getAsBoolean() && !running) {
            delegate.start();
            running = true;
        }
    }

    /** Follows a changed setting: starts or stops the service now. */
    synchronized void apply() {
        try {
            if (on.getAsBoolean()) {
                start();
            } else if (running) {
                delegate.stop();
                running = false;
            }
            lastFailure = null;
        } catch (Exception e) {
            lastFailure = e.getMessage();
            log.warn("{} could not start: {}", name(), lastFailure);
        }
    }

    /** Follows a changed setting of a running service (a new port): stops it and starts it again. */
    synchronized void restart() {
        if (running) {
            delegate.stop();
            running = false;
        }
        apply();
    }

    @Override
    public synchronized void stop() {
        if (running) {
            delegate.stop();
            running = false;
        }
    }

    @Override
    public synchronized List<Reason> reasons() {
        if (lastFailure != null) {
            return List.of(Reason.warning(name(), name() + " could not start: " + lastFailure, ""));
        }
        return running ? delegate.reasons() : List.of();
    }
}
