package org.sipbridge.daemon;

import static org.sipbridge.contract.metrics.Metric.Sample.labelled;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.sipbridge.contract.metrics.Metric;
import org.sipbridge.contract.metrics.MetricSource;
import org.sipbridge.contract.status.BridgeState;
import org.sipbridge.contract.status.BridgeStatus;
import org.sipbridge.web.PhoneList;
import org.sipbridge.web.metrics.Metrics;

/**
 * {@code GET /metrics}: the daemon's own families (overall state, phones, certificate expiry) with each
 * module's ({@link MetricSource}), in the order the exposition always had.
 */
final class BridgeMetrics implements Metrics {

    /** What the daemon itself knows; each supplier is cheap and never blocks for long. */
    record Sources(
            Supplier<BridgeStatus> status,
            Supplier<PhoneList> phones,
            Supplier<Map<String, Instant>> certificateExpiry) {}

    /** Each module's families. */
    record Modules(
            MetricSource sip, MetricSource media, MetricSource dhcp, MetricSource provisioning, MetricSource syslog) {}

    private final Sources sources;
    private final Modules modules;

    BridgeMetrics(Sources sources, Modules modules) {
        this.sources = sources;
        this.modules = modules;
    }

    @Override
    public List<Metric> collect() {
        List<Metric> all = new ArrayList<>();
        BridgeStatus status = sources.status().get();
        all.add(Metric.gauge(
                "sipbridge_ready",
                "1 when the bridge is Ready (configured, a server up, the phone registered)",
                status.state() == BridgeState.READY ? 1 : 0));
        all.add(new Metric(
                "sipbridge_reasons",
                Metric.Type.GAUGE,
                "Reasons shown on the status page, by severity",
                List.of(
                        labelled("severity", "not_ready", status.reasons().size()),
                        labelled("severity", "warning", status.warnings().size()))));
        all.add(Metric.gauge(
                "sipbridge_registrations",
                "Phone registrations relayed to the PBX",
                status.registrations().size()));
        all.addAll(modules.sip().metrics());
        phones(all, sources.phones().get());
        all.addAll(modules.media().metrics());
        all.addAll(modules.dhcp().metrics());
        all.addAll(modules.provisioning().metrics());
        certificates(all, sources.certificateExpiry().get());
        all.addAll(modules.syslog().metrics());
        return all;
    }

    private static void phones(List<Metric> all, PhoneList phones) {
        all.add(Metric.gauge(
                "sipbridge_phones_registered",
                "Phones (LAN addresses) with a live registration",
                phones.registeredPhones()));
        all.add(Metric.gauge(
                "sipbridge_phones_max", "bridge.maxPhones: phones the bridge serves at once", phones.maxPhones()));
        all.add(Metric.gauge(
                "sipbridge_phones_seen",
                "Phones in the phone book (/api/phones)",
                phones.phones().size()));
        all.add(Metric.counter(
                "sipbridge_phones_refused_total",
                "REGISTERs of new phones refused with 403 because bridge.maxPhones phones were registered",
                phones.refusedPhones()));
    }

    private static void certificates(List<Metric> all, Map<String, Instant> expiry) {
        List<Metric.Sample> samples = new ArrayList<>();
        expiry.forEach((name, notAfter) -> samples.add(labelled("certificate", name, notAfter.getEpochSecond())));
        all.add(new Metric(
                "sipbridge_certificate_expiry_timestamp_seconds",
                Metric.Type.GAUGE,
                "When each certificate the bridge presents or pins stops being valid (Unix time)",
                samples));
    }
}
