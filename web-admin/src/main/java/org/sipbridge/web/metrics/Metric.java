package org.sipbridge.web.metrics;

import java.util.List;
import java.util.Map;

/**
 * One metric family of {@code GET /metrics}: a name ({@code sipbridge_…}), its Prometheus type and
 * help text, and its samples (label sets with a value).
 */
public record Metric(String name, Type type, String help, List<Sample> samples) {

    public enum Type { COUNTER, GAUGE }

    /** One value; {@code labels} keep their order in the output. */
    public record Sample(Map<String, String> labels, double value) {
    }

    public Metric {
        samples = List.copyOf(samples);
    }

    public static Metric counter(String name, String help, double value) {
        return new Metric(name, Type.COUNTER, help, List.of(new Sample(Map.of(), value)));
    }

    public static Metric gauge(String name, String help, double value) {
        return new Metric(name, Type.GAUGE, help, List.of(new Sample(Map.of(), value)));
    }
}
