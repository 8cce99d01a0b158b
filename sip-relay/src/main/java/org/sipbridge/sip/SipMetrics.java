package org.sipbridge.sip;

import static org.sipbridge.contract.metrics.Metric.Sample.labelled;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.sipbridge.contract.metrics.Metric;
import org.sipbridge.contract.metrics.MetricSource;
import org.sipbridge.contract.status.CallStatus;
import org.sipbridge.contract.status.ServerStatus;

/** The SIP families of {@code /metrics}: each server's state and OPTIONS round trip, calls in progress, refusals. */
public final class SipMetrics implements MetricSource {

    /** What the families are read from, on each scrape. */
    public record Sources(
            Supplier<List<ServerStatus>> servers, Supplier<List<CallStatus>> calls, LongSupplier refused) {}

    private final Sources sources;

    public SipMetrics(Sources sources) {
        this.sources = sources;
    }

    /** The running relay's figures; while it is stopped, no servers, no calls and nothing refused. */
    public static SipMetrics of(Supplier<Optional<SipRelayService>> relay) {
        return new SipMetrics(new Sources(
                () -> relay.get().map(SipRelayService::servers).orElse(List.of()),
                () -> relay.get().map(SipRelayService::calls).orElse(List.of()),
                () -> relay.get().map(SipRelayService::refusedRequests).orElse(0L)));
    }

    @Override
    public List<Metric> metrics() {
        List<Metric.Sample> up = new ArrayList<>();
        List<Metric.Sample> rtt = new ArrayList<>();
        for (ServerStatus server : sources.servers().get()) {
            up.add(labelled("server", server.address(), server.state() == ServerStatus.ServerState.UP ? 1 : 0));
            if (server.optionsRttMs() >= 0) {
                rtt.add(labelled("server", server.address(), server.optionsRttMs() / 1000.0));
            }
        }
        long active = sources.calls().get().stream()
                .filter(c -> !"ENDED".equals(c.state()))
                .count();
        return List.of(
                new Metric(
                        "sipbridge_server_up",
                        Metric.Type.GAUGE,
                        "1 when the server answers (OPTIONS or any response)",
                        up),
                new Metric(
                        "sipbridge_server_options_rtt_seconds", Metric.Type.GAUGE, "Last OPTIONS round-trip time", rtt),
                Metric.gauge("sipbridge_calls_active", "Calls in progress through the bridge", active),
                Metric.counter(
                        "sipbridge_sip_refused_requests_total",
                        "SIP requests refused with 403 (strangers, unregistered users, requests for nothing the bridge owns)",
                        sources.refused().getAsLong()));
    }
}
