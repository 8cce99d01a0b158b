package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shipped monitoring (packaging/monitoring) with a real Prometheus: promtool checks the example
 * configuration and runs the alert rules' unit tests; Prometheus on the VPN side scrapes the lab bridge
 * at its remote-administration port over HTTPS with Basic auth (targets from a file, as file-based
 * discovery from IT's list), sees the per-call quality histograms after a call, and fires
 * SipbridgeNotReady once the bridge's VPN goes down.
 */
class MonitoringLabIT {

    @RegisterExtension
    static final RegisteredPhoneLab LAB = new RegisteredPhoneLab("mo");

    private static final Path MONITORING = LabNetwork.REPO.resolve("packaging/monitoring");
    private static final String PASSWORD = "scrape secret";

    @Test
    void promtoolAcceptsTheExampleConfigAndTheAlertRulesPassTheirUnitTests() throws Exception {
        LabNetwork.Result config = LabNetwork.run(
                List.of(
                        "promtool",
                        "check",
                        "config",
                        MONITORING.resolve("prometheus-sipbridge.example.yml").toString()),
                60);
        assertEquals(0, config.exitCode(), config.output());
        LabNetwork.Result rules =
                LabNetwork.run(List.of("sh", "-c", "cd '" + MONITORING + "' && promtool test rules tests/*.yml"), 60);
        assertEquals(0, rules.exitCode(), rules.output());
        assertTrue(rules.output().contains("SUCCESS"), rules.output());
    }

    @Test
    void prometheusScrapesTheBridgeOverTheVpnAndAlertsWhenTheVpnGoesDown() throws Exception {
        String set = LAB.daemon()
                .changeCredentials(
                        "{\"oldUser\":\"\",\"oldPassword\":\"\",\"newUser\":\"prometheus\",\"newPassword\":\""
                                + PASSWORD + "\"}");
        assertTrue(set.endsWith("204"), set);
        String target = LAB.lab().fact("BRIDGE_VPN_IP") + ":343";
        Path configFile = Prometheus.labConfig(
                LAB.dir().resolve("prometheus"),
                "prometheus",
                PASSWORD,
                List.of(LAB.dir().resolve("bridge").resolve("data").resolve("remote-admin-cert.pem")),
                "- targets: ['" + target + "']\n  labels: {site: lab}\n");
        Path work = configFile.getParent();

        try (Prometheus prometheus =
                Prometheus.start(LAB.lab(), "pbx", LAB.lab().fact("PBX_IP"), configFile, work)) {
            JsonNode ready = prometheus.awaitResult(
                    "sipbridge_ready{job=\"sipbridge\",site=\"lab\"} == 1", Duration.ofSeconds(60));
            assertEquals(target, ready.path(0).path("metric").path("instance").asText(), ready.toString());

            // One call: its quality lands in the histograms (no label per call).
            Path scenario = LAB.call().audioCallScenario("monitored-call", 2);
            LabProcess callee = LAB.call().echoCallee("monitored-callee");
            LabNetwork.Result call = LAB.call().phoneCalls(scenario, 5062, 2500);
            assertEquals(
                    0,
                    call.exitCode(),
                    call.output() + "\n" + LAB.daemon().process().output());
            callee.close();
            JsonNode observed = prometheus.awaitResult(
                    "sipbridge_call_mos_count{direction=\"phone_to_pbx\"} >= 1", Duration.ofSeconds(60));
            assertEquals(1, observed.size(), observed.toString());
            boolean clean = prometheus
                                    .query("sipbridge_call_mos_bucket{le=\"4.03\"} == 0")
                                    .size()
                            == 2
                    && prometheus
                                    .query("sipbridge_call_mos_bucket{le=\"4.5\"} == 1")
                                    .size()
                            == 2;
            assertTrue(
                    clean,
                    "a clean G.711 call through the lab scores between 4.03 and 4.5 both ways: "
                            + prometheus.query("sipbridge_call_mos_bucket"));
            assertEquals(
                    0,
                    prometheus.api("alerts").path("alerts").size(),
                    prometheus.api("alerts").toString());
            // What one bridge costs Prometheus (docs/fleet.md).
            System.out.println("scrape of one bridge: " + value(prometheus, "scrape_samples_scraped") + " samples, "
                    + value(prometheus, "scrape_duration_seconds") + " s");

            // Every query of the shipped Grafana dashboard is valid PromQL and has data from this bridge.
            JsonNode dashboard = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(MONITORING.resolve("grafana-sipbridge-fleet.json").toFile());
            for (JsonNode panel : dashboard.path("panels")) {
                for (JsonNode panelTarget : panel.path("targets")) {
                    String expr = panelTarget.path("expr").asText();
                    JsonNode result = prometheus.query(expr);
                    assertTrue(
                            !result.isEmpty() || panel.path("title").asText().contains("warning"),
                            "no data for \"" + panel.path("title").asText() + "\": " + expr);
                }
            }

            // The worker's VPN drops: the bridge cannot be scraped (and is Not Ready); the alert fires.
            LabNetwork.Result down =
                    LAB.lab().exec("bridge", "ip", "link", "set", LAB.lab().fact("VPN_IF"), "down");
            assertEquals(0, down.exitCode(), down.output());
            JsonNode firing = prometheus.awaitFiring("SipbridgeNotReady", Map.of(), Duration.ofSeconds(90));
            assertEquals(target, firing.path("labels").path("instance").asText(), firing.toString());
            assertEquals("critical", firing.path("labels").path("severity").asText(), firing.toString());
            LAB.lab().exec("bridge", "ip", "link", "set", LAB.lab().fact("VPN_IF"), "up");
        }
    }

    private static String value(Prometheus prometheus, String promql) throws Exception {
        return prometheus.query(promql).path(0).path("value").path(1).asText();
    }
}
