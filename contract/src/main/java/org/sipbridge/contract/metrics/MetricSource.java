package org.sipbridge.contract.metrics;

import java.util.List;

/**
 * The metric families one module contributes to {@code GET /metrics}, read on every scrape: each
 * module knows its own figures, the daemon only lists the sources. Must be cheap and never block
 * for long; a service that is not running contributes what it would show at rest (or nothing).
 */
@FunctionalInterface
public interface MetricSource {

    List<Metric> metrics();
}
