package org.sipbridge.config.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.Station;
import org.sipbridge.config.Transport;
import org.sipbridge.config.validation.ConfigException;
import org.sipbridge.config.validation.ConfigProblem;

class ConfigJsonTest {

    private static List<String> problems(String json) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigJson.parse(json));
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void emptyObjectGivesTheDefaults() throws Exception {
        assertEquals(BridgeConfig.defaults(), ConfigJson.parse("{}"));
    }

    @Test
    void defaultsMatchTheDesign() throws Exception {
        BridgeConfig c = BridgeConfig.defaults();
        assertEquals(160, c.bridge().dhcpOptionCode());
        assertEquals(8088, c.bridge().provisioningHttpPort());
        assertEquals(8089, c.bridge().provisioningHttpsPort());
        assertEquals(343, c.bridge().listenPort());
        assertEquals(Transport.TCP, c.bridge().sipRegistrationProtocol());
        assertEquals(8060, c.protocols().udp().port());
        assertEquals(8060, c.protocols().tcp().port());
        assertEquals(8061, c.protocols().tls().port());
        assertEquals(500, c.protocols().udp().t1Ms());
        assertEquals(1000, c.protocols().udp().t2Ms());
        assertEquals(3, c.protocols().udp().maxInviteRetries());
        assertEquals(4, c.protocols().udp().maxPacketRetries());
        assertEquals(2, c.protocols().tcp().connectTimeoutSec());
        assertEquals(false, c.protocols().tls().mutualAuth());
        assertEquals(24, c.protocols().sipQosDscpValue());
        assertEquals("16384-32767", c.media().rtpPortRange());
        assertEquals(46, c.media().rtpQosDscpValue());
        assertEquals(46, c.media().rtcpQosDscpValue());
        assertEquals(false, c.media().rtpDiagnosticCaptureEnabled());
        assertEquals("NULL_NULL", c.media().rtpDiagnosticCaptureCipherSuite().name());
        assertEquals(false, c.diagnostics().syslogReceiverEnabled());
        assertEquals(514, c.diagnostics().syslogPort());
        assertEquals(7, c.diagnostics().retentionDays());
        assertEquals(true, c.diagnostics().compression());
        assertEquals("", c.admin().userName());
        assertEquals("127.0.0.1", c.web().bindAddress());
        assertEquals(8080, c.web().port());
    }

    @Test
    void formatThenParseGivesTheSameConfig() throws Exception {
        BridgeConfig config = BridgeConfig.defaults()
                .withBridge(BridgeConfig.defaults()
                        .bridge()
                        .withServers(List.of("pbx1.example.com", "10.1.2.3:5080"))
                        .withAdapters("eth0", "tun0"))
                .withStations(List.of(new Station("Desk", "1001", "s3cret")));
        assertEquals(config, ConfigJson.parse(ConfigJson.format(config)));
    }

    @Test
    void writesExactlyTheDesignKeyNames() {
        String json = ConfigJson.format(BridgeConfig.defaults());
        for (String key : List.of(
                "\"bridge\"",
                "\"stations\"",
                "\"protocols\"",
                "\"media\"",
                "\"diagnostics\"",
                "\"admin\"",
                "\"web\"",
                "\"serverTransport\" : \"udp\"",
                "\"sipRegistrationProtocol\" : \"tcp\"",
                "\"rtpPortRange\" : \"16384-32767\"",
                "\"t1Ms\" : 500",
                "\"maxPacketRetries\" : 4",
                "\"connectTimeoutSec\" : 2",
                "\"cipherSuites\"",
                "\"rtpDiagnosticCaptureCipherSuite\" : \"NULL_NULL\"",
                "\"traceLevels\"",
                "\"bindAddress\" : \"127.0.0.1\"",
                "\"managedPhoneProvisioning\" : true")) {
            assertTrue(json.contains(key), () -> key + " missing from\n" + json);
        }
    }

    @Test
    void partialFileIsCompletedWithDefaults() throws Exception {
        BridgeConfig config = ConfigJson.parse("""
                {"bridge": {"servers": ["pbx.example.com"]},
                 "protocols": {"udp": {"t1Ms": 400}},
                 "diagnostics": {"traceLevels": {"sip": "DEBUG"}},
                 "stations": [{"userName": "1001", "password": "pw", "name": "Desk"}]}
                """);
        assertEquals(List.of("pbx.example.com"), config.bridge().servers());
        assertEquals(400, config.protocols().udp().t1Ms());
        assertEquals(1000, config.protocols().udp().t2Ms());
        assertEquals(8060, config.protocols().udp().port());
        assertEquals(
                Map.of(
                        "config",
                        "INFO",
                        "daemon",
                        "INFO",
                        "dhcp",
                        "INFO",
                        "provisioning",
                        "INFO",
                        "rtp",
                        "INFO",
                        "sip",
                        "DEBUG",
                        "web",
                        "INFO"),
                config.diagnostics().traceLevels());
        assertEquals(List.of(new Station("Desk", "1001", "pw")), config.stations());
    }

    @Test
    void negativeTimerIsNamedByItsFullKey() {
        assertEquals(
                List.of("protocols.udp.t1Ms: must be > 0 (was -5)"),
                problems("{\"protocols\":{\"udp\":{\"t1Ms\":-5}}}"));
    }

    @Test
    void unknownKeysAreErrorsWithASuggestion() {
        assertEquals(
                List.of(
                        "protocols.udp.t1ms: unknown key (did you mean protocols.udp.t1Ms?)",
                        "bridge.serverz: unknown key (did you mean bridge.servers?)"),
                problems("{\"protocols\":{\"udp\":{\"t1ms\":400}}, \"bridge\": {\"serverz\": []}}"));
        List<String> topLevel = problems("{\"telephony\": {}}");
        assertTrue(
                topLevel.get(0).startsWith("telephony: unknown key; known keys here: bridge, stations"),
                topLevel::toString);
        assertEquals(
                List.of("stations[0].pasword: unknown key (did you mean stations[0].password?)"),
                problems("{\"stations\":[{\"name\":\"a\",\"userName\":\"u\",\"password\":\"p\",\"pasword\":\"x\"}]}"));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        List<String> found = problems("""
                {"protocols": {"udp": {"t1Ms": -5, "port": 70000, "enabled": "yes"}},
                 "web": {"port": "x", "bindAddress": "localhost"},
                 "media": {"rtpPortRange": "300-200", "rtpQosDscpValue": 64},
                 "bridge": {"serverTransport": "sctp", "servers": ["pbx:99999", 5]},
                 "colour": "blue"}
                """);
        assertEquals(
                List.of(
                        "protocols.udp.enabled: must be true or false (was \"yes\")",
                        "web.port: must be a whole number (was \"x\")",
                        "bridge.serverTransport: must be one of udp, tcp, tls (was \"sctp\")",
                        "bridge.servers[1]: must be a string (was 5)",
                        "colour: unknown key; known keys here: bridge, stations, protocols, media, diagnostics, admin, web, management",
                        "protocols.udp.port: must be between 1 and 65535 (was 70000)",
                        "protocols.udp.t1Ms: must be > 0 (was -5)",
                        "media.rtpQosDscpValue: must be between 0 and 63 (was 64)",
                        "media.rtpPortRange: first port must not be above the last (was \"300-200\")",
                        "web.bindAddress: must be an IPv4 or IPv6 address such as 127.0.0.1 (was \"localhost\")"),
                found);
    }

    @Test
    void brokenJsonNamesLineAndColumn() {
        List<String> found = problems("{\n  \"bridge\": {\n    \"name\": \"x\",,\n  }\n}");
        assertEquals(1, found.size());
        assertTrue(found.get(0).startsWith("not valid JSON: line 3, column 17:"), found::toString);
    }

    @Test
    void nullsDuplicatesFractionsAndHugeNumbersAreRefused() {
        assertEquals(
                List.of("web.port: must not be null; leave the key out to get the default"),
                problems("{\"web\":{\"port\":null}}"));
        assertTrue(problems("{\"web\":{\"port\":1,\"port\":2}}").get(0).contains("Duplicate field 'port'"));
        assertEquals(List.of("web.port: must be a whole number (was 80.5)"), problems("{\"web\":{\"port\":80.5}}"));
        assertEquals(
                List.of("web.port: is far out of range (was 99999999999)"),
                problems("{\"web\":{\"port\":99999999999}}"));
    }

    @Test
    void emptyAndNonObjectFilesAreRefused() {
        assertEquals(List.of("the file is empty; expected a JSON object such as {}"), problems(""));
        assertEquals(List.of("expected a JSON object at the top, found ARRAY"), problems("[]"));
        assertTrue(problems("{} {}").get(0).startsWith("not valid JSON"));
        assertEquals(List.of("bridge: expected an object (was 5)"), problems("{\"bridge\":5}"));
    }
}
