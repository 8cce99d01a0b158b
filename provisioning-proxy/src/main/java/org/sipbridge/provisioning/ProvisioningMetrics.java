package org.sipbridge.provisioning;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.sipbridge.contract.metrics.Metric;
import org.sipbridge.contract.metrics.MetricSource;
import org.sipbridge.provisioning.transfer.Transfer;

/** The provisioning families of {@code /metrics}, from the proxy's recent transfers (none while it is stopped). */
public final class ProvisioningMetrics implements MetricSource {

    private final Supplier<List<Transfer>> transfers;

    public ProvisioningMetrics(Supplier<List<Transfer>> transfers) {
        this.transfers = transfers;
    }

    public static ProvisioningMetrics of(Supplier<Optional<ProvisioningProxyService>> proxy) {
        return new ProvisioningMetrics(
                () -> proxy.get().map(ProvisioningProxyService::transfers).orElse(List.of()));
    }

    @Override
    public List<Metric> metrics() {
        List<Transfer> recent = transfers.get();
        long running = recent.stream().filter(t -> !t.finished()).count();
        long failed = recent.stream()
                .filter(t -> t.finished() && (t.status() >= 400 || t.incomplete()))
                .count();
        // A phone's first request (<MAC>.cfg) is often a 404 by design: only 5xx (the bridge could not reach or use
        // the provisioning server) and broken-off transfers say the upstream is failing.
        long upstreamFailed = recent.stream()
                .filter(t -> t.finished() && (t.status() >= 500 || t.incomplete()))
                .count();
        return List.of(
                Metric.gauge("sipbridge_provisioning_transfers_running", "Provisioning transfers in progress", running),
                Metric.gauge(
                        "sipbridge_provisioning_transfers_recent_failed",
                        "Failed or broken-off transfers among the recent ones (last 50, last 10 minutes)",
                        failed),
                Metric.gauge(
                        "sipbridge_provisioning_upstream_failures_recent",
                        "Recent transfers (last 50, last 10 minutes) that failed with 5xx or broke off: the upstream is failing",
                        upstreamFailed));
    }
}
