package org.sipbridge.web.metrics;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sipbridge.contract.metrics.Metric;

/**
 * The Prometheus text exposition format, version 0.0.4: {@code # HELP} and {@code # TYPE} per
 * family, then one line per sample. A pure function, so the format is tested without a server.
 */
public final class PrometheusText {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {}

    public static String format(List<Metric> metrics) {
        StringBuilder out = new StringBuilder();
        for (Metric metric : metrics) {
            out.append("# HELP ")
                    .append(metric.name())
                    .append(' ')
                    .append(escapeHelp(metric.help()))
                    .append('\n');
            out.append("# TYPE ")
                    .append(metric.name())
                    .append(' ')
                    .append(metric.type().name().toLowerCase(Locale.ROOT))
                    .append('\n');
            for (Metric.Sample sample : metric.samples()) {
                out.append(metric.name()).append(sample.suffix());
                if (!sample.labels().isEmpty()) {
                    out.append('{');
                    boolean first = true;
                    for (Map.Entry<String, String> label : sample.labels().entrySet()) {
                        out.append(first ? "" : ",")
                                .append(label.getKey())
                                .append("=\"")
                                .append(escapeLabel(label.getValue()))
                                .append('"');
                        first = false;
                    }
                    out.append('}');
                }
                out.append(' ').append(number(sample.value())).append('\n');
            }
        }
        return out.toString();
    }

    /** HELP text: backslash and line feed escaped. */
    static String escapeHelp(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** Label values: backslash, double quote and line feed escaped (a SIP server name could hold anything). */
    static String escapeLabel(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String number(double value) {
        return Metric.number(value);
    }
}
