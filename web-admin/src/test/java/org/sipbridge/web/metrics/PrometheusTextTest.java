package org.sipbridge.web.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sipbridge.contract.metrics.Metric;

class PrometheusTextTest {

    /**
     * A sample line of the 0.0.4 text format: a metric name, optional labels whose values are quoted
     * with \\, \" and \n as the only escapes, and a Go-style float.
     */
    static final Pattern SAMPLE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*})? "
                    + "(NaN|[+-]Inf|-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?)");

    static final Pattern COMMENT = Pattern.compile(
            "# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram))");

    /** Fails unless every line is a valid HELP/TYPE comment or sample line, each family typed once before its samples. */
    static void assertValid(String text) {
        assertTrue(text.endsWith("\n"), "the exposition ends with a line feed");
        for (String line : text.split("\n")) {
            assertTrue(COMMENT.matcher(line).matches() || SAMPLE.matcher(line).matches(), "not a valid line: " + line);
        }
    }

    @Test
    void familiesWithHelpTypeAndLabelledSamples() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("server", "198.19.2.10:5060");
        String text = PrometheusText.format(List.of(
                Metric.gauge("sipbridge_ready", "1 when Ready", 1),
                new Metric(
                        "sipbridge_server_options_rtt_seconds",
                        Metric.Type.GAUGE,
                        "Last OPTIONS RTT",
                        List.of(new Metric.Sample(labels, 0.0125))),
                Metric.counter("sipbridge_rtp_packets_total", "RTP packets", 1234567)));
        assertEquals("""
                # HELP sipbridge_ready 1 when Ready
                # TYPE sipbridge_ready gauge
                sipbridge_ready 1
                # HELP sipbridge_server_options_rtt_seconds Last OPTIONS RTT
                # TYPE sipbridge_server_options_rtt_seconds gauge
                sipbridge_server_options_rtt_seconds{server="198.19.2.10:5060"} 0.0125
                # HELP sipbridge_rtp_packets_total RTP packets
                # TYPE sipbridge_rtp_packets_total counter
                sipbridge_rtp_packets_total 1234567
                """, text);
        assertValid(text);
    }

    @Test
    void aHistogramHasCumulativeBucketsEndingInInfThenSumAndCount() {
        String text = PrometheusText.format(List.of(Metric.histogram(
                "sipbridge_call_mos",
                "MOS of ended calls",
                List.of(new Metric.HistogramSeries(
                        Map.of("direction", "pbx_to_phone"), List.of(3.6, 4.2), List.of(1L, 1L), 3, 12.5)))));
        assertEquals("""
                # HELP sipbridge_call_mos MOS of ended calls
                # TYPE sipbridge_call_mos histogram
                sipbridge_call_mos_bucket{direction="pbx_to_phone",le="3.6"} 1
                sipbridge_call_mos_bucket{direction="pbx_to_phone",le="4.2"} 1
                sipbridge_call_mos_bucket{direction="pbx_to_phone",le="+Inf"} 3
                sipbridge_call_mos_sum{direction="pbx_to_phone"} 12.5
                sipbridge_call_mos_count{direction="pbx_to_phone"} 3
                """, text);
        assertValid(text);
    }

    @Test
    void labelValuesAndHelpAreEscaped() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("server", "evil\"host\\name\nx");
        String text = PrometheusText.format(List.of(new Metric(
                "m", Metric.Type.GAUGE, "two\nlines \\ here", List.of(new Metric.Sample(labels, Double.NaN)))));
        assertEquals(
                "# HELP m two\\nlines \\\\ here\n# TYPE m gauge\nm{server=\"evil\\\"host\\\\name\\nx\"} NaN\n", text);
        assertValid(text);
    }

    @Test
    void numbersAreWrittenTheWayPrometheusReadsThem() {
        assertEquals("0", PrometheusText.number(0));
        assertEquals("-3", PrometheusText.number(-3));
        assertEquals("2.5E-4", PrometheusText.number(0.00025));
        assertEquals("+Inf", PrometheusText.number(Double.POSITIVE_INFINITY));
        assertTrue(SAMPLE.matcher("x " + PrometheusText.number(1e20)).matches());
    }
}
