package org.sipbridge.web.metrics;

import java.util.List;
import org.sipbridge.contract.metrics.Metric;

/** What {@code GET /metrics} shows: the daemon collects it from the relays on each scrape. */
@FunctionalInterface
public interface Metrics {

    List<Metric> collect();
}
