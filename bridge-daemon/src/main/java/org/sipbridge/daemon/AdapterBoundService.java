package org.sipbridge.daemon;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.persistence.ConfigStore;
import org.sipbridge.contract.network.AdapterResolver;
import org.sipbridge.contract.network.AdapterResolver.Resolution;
import org.sipbridge.contract.network.NetworkAdapter;
import org.sipbridge.contract.network.ResolvedAdapter;
import org.sipbridge.contract.service.BridgeService;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.service.StartFailure;

/**
 * A service that listens on the LAN and/or VPN adapter: the adapters are resolved when it starts,
 * and an adapter that cannot be used is the exact reason it does not start. Live settings reach the
 * running service through {@link #follow}.
 */
final class AdapterBoundService<T extends BridgeService> implements BridgeService {

    /** Builds the real service once its adapters are known (vpn is null when not needed). */
    interface Factory<T> {
        T create(ResolvedAdapter lan, ResolvedAdapter vpn) throws Exception;
    }

    private final String name;
    private final StartFailure failure;
    private final Supplier<BridgeConfig> config;
    private final Supplier<List<NetworkAdapter>> adapters;
    private final boolean needsVpn;
    private final Factory<T> factory;
    private volatile T running;
    /** What {@link #follow} keeps up to date, brought up to date after each start. */
    private final List<Consumer<T>> catchUps = new CopyOnWriteArrayList<>();

    AdapterBoundService(
            String name,
            Supplier<BridgeConfig> config,
            Supplier<List<NetworkAdapter>> adapters,
            boolean needsVpn,
            Factory<T> factory) {
        this(name, StartFailure.warning(""), config, adapters, needsVpn, factory);
    }

    /** {@code failure}: the wrapped service's own ({@code RtpRelayService.START_FAILURE}…), as it does not exist yet. */
    AdapterBoundService(
            String name,
            StartFailure failure,
            Supplier<BridgeConfig> config,
            Supplier<List<NetworkAdapter>> adapters,
            boolean needsVpn,
            Factory<T> factory) {
        this.name = name;
        this.failure = failure;
        this.config = config;
        this.adapters = adapters;
        this.needsVpn = needsVpn;
        this.factory = factory;
    }

    @Override
    public StartFailure startFailure() {
        return failure;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start() throws Exception {
        List<NetworkAdapter> found = adapters.get();
        ResolvedAdapter lan = resolve("LAN", config.get().bridge().lanAdapter(), found);
        ResolvedAdapter vpn = needsVpn ? resolve("VPN", config.get().bridge().vpnAdapter(), found) : null;
        T service = factory.create(lan, vpn);
        service.start();
        running = service;
        catchUps.forEach(catchUp -> catchUp.accept(service));
    }

    private static ResolvedAdapter resolve(String role, String spec, List<NetworkAdapter> found)
            throws AdapterUnavailableException {
        Resolution resolution = AdapterResolver.resolve(spec, found);
        return resolution
                .adapter()
                .orElseThrow(() -> new AdapterUnavailableException("the " + role + " adapter "
                        + (spec.isBlank()
                                ? "is not chosen"
                                : "\"" + spec + "\" cannot be used: " + resolution.problem())));
    }

    /**
     * Tells the running service {@code section} of {@code store} whenever an apply changes it, and once
     * more right after each start: a change applied while the service was starting (a central document
     * arriving at boot while the SIP relay makes its certificate) found no running service to tell, and
     * the service had read the value before it. {@code apply} must be idempotent.
     */
    <V> void follow(ConfigStore store, Function<BridgeConfig, V> section, BiConsumer<T, V> apply) {
        store.subscribe(section, value -> running().ifPresent(service -> apply.accept(service, value)));
        catchUps.add(service -> apply.accept(service, section.apply(store.current())));
    }

    /** The started service, if it started. */
    Optional<T> running() {
        return Optional.ofNullable(running);
    }

    @Override
    public void stop() {
        T service = running;
        running = null;
        if (service != null) {
            service.stop();
        }
    }

    @Override
    public List<Reason> reasons() {
        T service = running;
        return service == null ? List.of() : service.reasons();
    }
}
