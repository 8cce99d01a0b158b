package org.sipbridge.dhcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.sipbridge.contract.metrics.Metric;
import org.sipbridge.contract.metrics.MetricSource;
import org.sipbridge.dhcp.reply.IgnoreReason;

/** The DHCP families of {@code /metrics}, from the responder's counters ({@link DhcpResponderService#stats()}). */
public final class DhcpMetrics implements MetricSource {

    private final Supplier<DhcpStats> stats;

    public DhcpMetrics(Supplier<DhcpStats> stats) {
        this.stats = stats;
    }

    @Override
    public List<Metric> metrics() {
        DhcpStats now = stats.get();
        List<Metric.Sample> ignored = new ArrayList<>();
        for (IgnoreReason reason : IgnoreReason.values()) {
            ignored.add(Metric.Sample.labelled("reason", reason.name().toLowerCase(Locale.ROOT), now.ignored(reason)));
        }
        return List.of(
                Metric.counter("sipbridge_dhcp_informs_total", "DHCPINFORM requests seen", now.informsSeen()),
                Metric.counter(
                        "sipbridge_dhcp_answered_total", "DHCPACKs sent with the provisioning URL", now.answered()),
                new Metric(
                        "sipbridge_dhcp_ignored_total",
                        Metric.Type.COUNTER,
                        "DHCP packets not answered, by reason",
                        ignored),
                Metric.counter(
                        "sipbridge_dhcp_malformed_total", "DHCP packets that could not be parsed", now.malformed()),
                Metric.counter(
                        "sipbridge_dhcp_send_failures_total", "DHCPACKs that could not be sent", now.sendFailures()));
    }
}
