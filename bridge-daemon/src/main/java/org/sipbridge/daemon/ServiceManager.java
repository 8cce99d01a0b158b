package org.sipbridge.daemon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.sipbridge.contract.service.BridgeService;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.service.Severity;
import org.sipbridge.contract.service.StartFailure;
import org.sipbridge.contract.status.StatusDraft;
import org.sipbridge.contract.status.StatusPart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts services in order and stops them in reverse within a time budget. A service that fails to
 * start is reported as a reason with its exact cause; the others are started all the same. Its part of the
 * status: those start failures, then each running service's own reasons.
 */
final class ServiceManager implements StatusPart {

    private static final Logger log = LoggerFactory.getLogger(ServiceManager.class);

    /** A service whose failure stops calls makes the bridge Not Ready; others only warn. */
    record Managed(BridgeService service, Severity failureSeverity, String fix) {

        /** The service as its own {@link BridgeService#startFailure()} says to report it. */
        static Managed of(BridgeService service) {
            StartFailure failure = service.startFailure();
            return new Managed(service, failure.severity(), failure.fix());
        }
    }

    /** In start order; filled by {@link #manage} before {@link #startAll}, read without the lock by {@link #position}. */
    private final List<Managed> services = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Written under the lock; read without it, so the status never waits for a rebind. */
    private final List<BridgeService> running = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Map<String, Reason> startFailures = new ConcurrentHashMap<>();

    ServiceManager(List<Managed> services) {
        this.services.addAll(services);
    }

    /**
     * A manager without services yet: what needs its {@link #reasons()} or {@link #restart} (the status, the
     * adapter watcher, itself managed) is built with it, then every service is added with {@link #manage}.
     */
    ServiceManager() {}

    /** Adds services after those already managed, in start order, each reported as it says. */
    synchronized void manage(List<BridgeService> more) {
        more.stream().map(Managed::of).forEach(services::add);
    }

    synchronized void startAll() {
        for (Managed managed : services) {
            start(managed);
        }
    }

    /** Starts one service; returns why it did not start, or null when it runs. */
    private String start(Managed managed) {
        BridgeService service = managed.service();
        startFailures.remove(service.name());
        try {
            service.start();
            running.add(service);
            log.info("Started {}", service.name());
            return null;
        } catch (AdapterUnavailableException e) {
            log.warn("{} not started: {}", service.name(), e.getMessage());
            return e.getMessage();
        } catch (Exception e) {
            String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            log.error("{} could not start: {}", service.name(), cause);
            startFailures.put(
                    service.name(),
                    new Reason(
                            managed.failureSeverity(),
                            service.name(),
                            service.name() + " could not start: " + cause,
                            managed.fix()));
            return service.name() + " could not start: " + cause;
        }
    }

    /**
     * Stops the named services (in reverse start order) and starts them again (in start order), e.g.
     * to rebind them to an adapter's new address; returns why some did not start (empty when all run).
     */
    synchronized List<String> restart(java.util.Set<String> names) {
        for (int i = running.size() - 1; i >= 0; i--) {
            BridgeService service = running.get(i);
            if (names.contains(service.name())) {
                try {
                    service.stop();
                    log.info("Stopped {}", service.name());
                } catch (RuntimeException e) {
                    log.warn("{} failed while stopping", service.name(), e);
                }
                running.remove(i);
            }
        }
        List<String> problems = new ArrayList<>();
        for (Managed managed : services) {
            if (names.contains(managed.service().name())) {
                String problem = start(managed);
                if (problem != null) {
                    problems.add(problem);
                }
            }
        }
        // Keep the start order, so stopAll still stops in reverse.
        running.sort(java.util.Comparator.comparingInt(this::position));
        return problems;
    }

    private int position(BridgeService service) {
        for (int i = 0; i < services.size(); i++) {
            if (services.get(i).service() == service) {
                return i;
            }
        }
        return services.size();
    }

    /** Stops running services in reverse start order; gives up on a service that overruns the budget. */
    synchronized void stopAll(Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        for (int i = running.size() - 1; i >= 0; i--) {
            BridgeService service = running.get(i);
            long left = deadline - System.nanoTime();
            Thread stopper = new Thread(
                    () -> {
                        try {
                            service.stop();
                        } catch (RuntimeException e) {
                            log.warn("{} failed while stopping", service.name(), e);
                        }
                    },
                    "stop-" + service.name());
            stopper.setDaemon(true);
            stopper.start();
            try {
                stopper.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (stopper.isAlive()) {
                log.warn("{} did not stop in time; exiting without it", service.name());
            } else {
                log.info("Stopped {}", service.name());
            }
        }
        running.clear();
    }

    /** Start failures, then what each running service reports. */
    List<Reason> reasons() {
        List<Reason> reasons = new ArrayList<>(startFailures.values());
        for (BridgeService service : running) {
            reasons.addAll(service.reasons());
        }
        return reasons;
    }

    @Override
    public void addTo(StatusDraft status) {
        status.addAll(reasons());
    }

    synchronized boolean isRunning(String name) {
        return running.stream().anyMatch(service -> service.name().equals(name));
    }
}
