package org.sipbridge.contract.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One metric family of {@code GET /metrics}: a name ({@code sipbridge_…}), its Prometheus type and
 * help text, and its samples (label sets with a value). Each module builds its own families
 * ({@link MetricSource}); web-admin writes them in the Prometheus text format.
 */
public record Metric(String name, Type type, String help, List<Sample> samples) {

    public enum Type {
        COUNTER,
        GAUGE,
        HISTOGRAM
    }

    /**
     * One value; {@code labels} keep their order in the output. {@code suffix} is appended to the
     * family name ({@code _bucket}, {@code _sum}, {@code _count} of a histogram; empty otherwise).
     */
    public record Sample(String suffix, Map<String, String> labels, double value) {

        public Sample(Map<String, String> labels, double value) {
            this("", labels, value);
        }

        /** A value with one label, e.g. {@code direction="phone_to_pbx"}. */
        public static Sample labelled(String label, String labelValue, double value) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put(label, labelValue);
            return new Sample(labels, value);
        }
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

    /**
     * A histogram family: for each label set its cumulative buckets (upper bounds ascending, then
     * {@code +Inf}), sum and count, as Prometheus expects them.
     */
    public static Metric histogram(String name, String help, List<HistogramSeries> series) {
        List<Sample> samples = new ArrayList<>();
        for (HistogramSeries one : series) {
            for (int i = 0; i < one.upperBounds().size(); i++) {
                samples.add(new Sample(
                        "_bucket",
                        with(one.labels(), "le", number(one.upperBounds().get(i))),
                        one.cumulativeCounts().get(i)));
            }
            samples.add(new Sample("_bucket", with(one.labels(), "le", "+Inf"), one.count()));
            samples.add(new Sample("_sum", one.labels(), one.sum()));
            samples.add(new Sample("_count", one.labels(), one.count()));
        }
        return new Metric(name, Type.HISTOGRAM, help, samples);
    }

    /**
     * One label set of a histogram.
     *
     * @param cumulativeCounts observations at or below each of {@code upperBounds}
     */
    public record HistogramSeries(
            Map<String, String> labels, List<Double> upperBounds, List<Long> cumulativeCounts, long count, double sum) {

        public HistogramSeries {
            labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
            upperBounds = List.copyOf(upperBounds);
            cumulativeCounts = List.copyOf(cumulativeCounts);
            if (upperBounds.size() != cumulativeCounts.size()) {
                throw new IllegalArgumentException("one cumulative count per upper bound");
            }
        }
    }

    /** A value as the Prometheus text format writes it (also a histogram's {@code le} label). */
    public static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.put(name, value);
        return all;
    }
}
