package org.sipbridge.daemon;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.sipbridge.config.BridgeSettings;
import org.sipbridge.contract.api.ProvisioningStatus;
import org.sipbridge.contract.metrics.MetricSource;
import org.sipbridge.contract.network.ResolvedAdapter;
import org.sipbridge.daemon.phones.PhoneBook;
import org.sipbridge.dhcp.DhcpStats;
import org.sipbridge.provisioning.ProvisioningMetrics;
import org.sipbridge.provisioning.ProvisioningProxyOptions;
import org.sipbridge.provisioning.ProvisioningProxyService;
import org.sipbridge.provisioning.inject.InjectionSettings;
import org.sipbridge.provisioning.inject.PhoneConfigStatus;
import org.sipbridge.provisioning.inject.ProvisionedPhones;

/**
 * Provisioning: the proxy to the provisioning upstream on the LAN and VPN adapters, running only while
 * {@code bridge.managedPhoneProvisioning} is on, with the Polycom configuration injection; what
 * {@code /api/provisioning} shows, its certificates for the web UI, and its metrics.
 */
final class ProvisioningFeature {

    /** Phones told the bridge's address by the configuration injection; outlives proxy restarts. */
    private final ProvisionedPhones provisionedPhones;

    private final Supplier<InjectionSettings> injection;
    private final AdapterBoundService<ProvisioningProxyService> proxy;
    private final SwitchableService whenManaged;

    ProvisioningFeature(DaemonContext context, PhoneBook phoneBook) {
        provisionedPhones = new ProvisionedPhones(context.clock());
        injection = () -> InjectionSettings.of(context.store().current());
        proxy = context.onAdapters(
                "provisioning-proxy",
                ProvisioningProxyService.START_FAILURE,
                true,
                (lan, vpn) -> new ProvisioningProxyService(
                                options(context.store().current().bridge(), lan, vpn, context.dataDir()))
                        .injecting(injection, provisionedPhones)
                        .onWorker(context.httpWorker())
                        .reportingRequestsTo(phoneBook::requested));
        proxy.follow(context.store(), c -> c.bridge().provisioningUpstream(), ProvisioningProxyService::updateUpstream);
        whenManaged = new SwitchableService(
                proxy, () -> context.store().current().bridge().managedPhoneProvisioning());
        context.store().subscribe(c -> c.bridge().managedPhoneProvisioning(), on -> whenManaged.apply());
    }

    /** The proxy as the service manager runs it: only while managed provisioning is on. */
    SwitchableService service() {
        return whenManaged;
    }

    Optional<ProvisioningProxyService> running() {
        return proxy.running();
    }

    /** {@code GET /api/provisioning}: with the DHCP responder's figures. */
    ProvisioningStatus status(DhcpStats dhcp) {
        return ProvisioningApi.of(
                dhcp,
                proxy.running().map(ProvisioningProxyService::transfers).orElse(List.of()),
                proxy.running()
                        .map(ProvisioningProxyService::phoneConfig)
                        .orElseGet(() -> PhoneConfigStatus.of(injection.get(), Optional.empty(), provisionedPhones)));
    }

    ProxyCertificates certificates() {
        return new ProxyCertificates(proxy::running);
    }

    MetricSource metrics() {
        return ProvisioningMetrics.of(proxy::running);
    }

    private static ProvisioningProxyOptions options(
            BridgeSettings bridge, ResolvedAdapter lan, ResolvedAdapter vpn, Path dataDir) {
        ProvisioningProxyOptions options = ProvisioningProxyOptions.of(bridge, lan, vpn, dataDir);
        return bridge.provisioningCertificateFile().isEmpty()
                ? options
                : options.withSuppliedCertificate(
                        Path.of(bridge.provisioningCertificateFile()), Path.of(bridge.provisioningPrivateKeyFile()));
    }
}
