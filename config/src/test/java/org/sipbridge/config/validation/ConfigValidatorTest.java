package org.sipbridge.config.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.AdminSettings;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.BridgeSettings;
import org.sipbridge.config.CaptureCipherSuite;
import org.sipbridge.config.DiagnosticsSettings;
import org.sipbridge.config.MediaSettings;
import org.sipbridge.config.ProtocolSettings;
import org.sipbridge.config.Station;
import org.sipbridge.config.TlsSettings;
import org.sipbridge.config.Transport;

class ConfigValidatorTest {

    private static final BridgeConfig DEFAULTS = BridgeConfig.defaults();

    private static List<String> problems(BridgeConfig config) {
        return ConfigValidator.validate(config).stream()
                .map(ConfigProblem::toString)
                .toList();
    }

    private static BridgeConfig withBridge(List<String> servers, String lan, String vpn, int option, String upstream) {
        return DEFAULTS.withBridge(new BridgeSettings(
                "Desk",
                servers,
                Transport.UDP,
                lan,
                vpn,
                343,
                true,
                option,
                List.of(),
                8088,
                8089,
                false,
                "",
                "",
                upstream,
                Transport.TCP));
    }

    @Test
    void defaultsAreValid() {
        assertEquals(List.of(), problems(DEFAULTS));
    }

    @Test
    void serversAreHostPortEntries() {
        assertEquals(
                List.of(),
                problems(withBridge(
                        List.of("pbx.example.com", "10.0.0.5:5080", "[2001:db8::1]:5060"), "eth0", "tun0", 160, "")));
        assertEquals(
                List.of(
                        "bridge.servers[0]: not a host name or IPv4 address: \"pbx example\" (was \"pbx example\")",
                        "bridge.servers[1]: port must be between 1 and 65535 (was 0) (was \"pbx:0\")",
                        "bridge.servers[3]: listed twice (pbx:5060)"),
                problems(withBridge(List.of("pbx example", "pbx:0", "pbx", "pbx:5060"), "eth0", "tun0", 160, "")));
    }

    @Test
    void adaptersMustDifferAndOptionCodeAvoidsDhcpOwnOptions() {
        assertEquals(
                List.of(
                        "bridge.vpnAdapter: must differ from bridge.lanAdapter (both \"eth0\")",
                        "bridge.dhcpOptionCode: options 50-61 belong to DHCP itself; use 160 or 66 (was 53)"),
                problems(withBridge(List.of(), "eth0", "eth0", 53, "")));
        assertEquals(
                List.of("bridge.dhcpOptionCode: must be between 1 and 254 (was 255)"),
                problems(withBridge(List.of(), "", "", 255, "")));
    }

    @Test
    void maxPhonesIsBetweenOneAnd256() {
        assertEquals(32, DEFAULTS.bridge().maxPhones());
        assertEquals(List.of(), problems(DEFAULTS.withBridge(DEFAULTS.bridge().withMaxPhones(256))));
        assertEquals(
                List.of("bridge.maxPhones: must be between 1 and 256; it bounds the phones the bridge tracks (was 0)"),
                problems(DEFAULTS.withBridge(DEFAULTS.bridge().withMaxPhones(0))));
        assertEquals(
                List.of(
                        "bridge.maxPhones: must be between 1 and 256; it bounds the phones the bridge tracks (was 257)"),
                problems(DEFAULTS.withBridge(DEFAULTS.bridge().withMaxPhones(257))));
    }

    @Test
    void upstreamIsAnHttpUrlWithoutCredentials() {
        assertEquals(List.of(), problems(withBridge(List.of(), "", "", 160, "https://prov.example.com/polycom")));
        assertEquals(
                List.of("bridge.provisioningUpstream: must start with http:// or https:// (was \"ftp://x/\")"),
                problems(withBridge(List.of(), "", "", 160, "ftp://x/")));
        assertEquals(
                List.of(
                        "bridge.provisioningUpstream: must not hold a user name or password; the phone sends its own credentials"),
                problems(withBridge(List.of(), "", "", 160, "http://u:p@x/")));
    }

    @Test
    void stationsNeedUniqueUserNamesAndPasswords() {
        BridgeConfig config = DEFAULTS.withStations(
                List.of(new Station("A", "1001", "pw"), new Station("B", "1001", ""), new Station("", "10 02", "pw")));
        assertEquals(
                List.of(
                        "stations[1].userName: \"1001\" is used by another station",
                        "stations[1].password: must not be empty",
                        "stations[2].name: must not be empty",
                        "stations[2].userName: must not contain spaces"),
                problems(config));
    }

    @Test
    void timersKeepT2AtOrAboveT1() {
        BridgeConfig config = DEFAULTS.withProtocols(
                DEFAULTS.protocols().withUdp(new org.sipbridge.config.UdpSettings(true, 8060, 2000, 1000, 0, 16)));
        assertEquals(
                List.of(
                        "protocols.udp.t2Ms: must be at least protocols.udp.t1Ms = 2000 (was 1000)",
                        "protocols.udp.maxInviteRetries: must be between 1 and 10 (was 0)",
                        "protocols.udp.maxPacketRetries: must be between 1 and 15 (was 16)"),
                problems(config));
    }

    @Test
    void tlsSuitesMustBeKnownAndFilesPaired() {
        TlsSettings tls = new TlsSettings(
                true,
                8061,
                false,
                List.of("TLS_AES_128_GCM_SHA256", "TLS_MADE_UP", "TLS_AES_128_GCM_SHA256"),
                "/nonexistent/cert.pem",
                "",
                "");
        ProtocolSettings p = DEFAULTS.protocols();
        BridgeConfig config = DEFAULTS.withProtocols(new ProtocolSettings(p.udp(), p.tcp(), tls, true, 24));
        assertEquals(
                List.of(
                        "protocols.tls.cipherSuites[1]: not a cipher suite this Java supports (was \"TLS_MADE_UP\")",
                        "protocols.tls.cipherSuites[2]: listed twice (TLS_AES_128_GCM_SHA256)",
                        "protocols.tls.privateKeyFile: certificateFile and privateKeyFile must be given together",
                        "protocols.tls.certificateFile: no readable file at /nonexistent/cert.pem"),
                problems(config));
    }

    @Test
    void defaultCipherSuitesAreAllSupported() {
        assertTrue(problems(DEFAULTS).isEmpty());
        assertEquals(9, TlsSettings.DEFAULT_CIPHER_SUITES.size());
    }

    @Test
    void portRangeStartsEvenAndHoldsACall() {
        for (String[] bad : new String[][] {
            {"1000-2000", "must start at 1024 or above"},
            {"16385-16400", "must start on an even port"},
            {"16384-16386", "must hold at least 4 ports"},
            {"abc", "must look like \"16384-32767\""},
            {"16384-70000", "ports must be between 1 and 65535"}
        }) {
            BridgeConfig config = DEFAULTS.withMedia(
                    new MediaSettings(true, 46, true, 46, bad[0], false, CaptureCipherSuite.NULL_NULL, 4, 7200, true));
            List<String> found = problems(config);
            assertEquals(1, found.size(), found::toString);
            assertTrue(found.get(0).startsWith("media.rtpPortRange: " + bad[1]), found::toString);
        }
    }

    @Test
    void streamsPerCallAndHoldTimeoutAreBounded() {
        for (Object[] bad : new Object[][] {
            {0, 7200, "media.maxStreamsPerCall: must be between 1 and 16 (was 0)"},
            {17, 7200, "media.maxStreamsPerCall: must be between 1 and 16 (was 17)"},
            {4, 59, "media.holdTimeoutSec: must be between 60 and 86400 (was 59)"},
            {4, 86_401, "media.holdTimeoutSec: must be between 60 and 86400 (was 86401)"}
        }) {
            BridgeConfig config = DEFAULTS.withMedia(new MediaSettings(
                    true,
                    46,
                    true,
                    46,
                    "16384-32767",
                    false,
                    CaptureCipherSuite.NULL_NULL,
                    (int) bad[0],
                    (int) bad[1],
                    true));
            assertEquals(List.of((String) bad[2]), problems(config));
        }
        for (int[] good : new int[][] {{1, 60}, {16, 86_400}}) {
            assertEquals(
                    List.of(),
                    problems(DEFAULTS.withMedia(new MediaSettings(
                            true,
                            46,
                            true,
                            46,
                            "16384-32767",
                            false,
                            CaptureCipherSuite.NULL_NULL,
                            good[0],
                            good[1],
                            true))));
        }
    }

    @Test
    void portClashesOnTheSameAdapterAreRefused() {
        BridgeConfig config = DEFAULTS.withMedia(
                new MediaSettings(true, 46, true, 46, "8000-9000", false, CaptureCipherSuite.NULL_NULL, 4, 7200, true));
        assertEquals(List.of("media.rtpPortRange: includes protocols.udp.port (8060)"), problems(config));
        ProtocolSettings p = DEFAULTS.protocols();
        TlsSettings tls = new TlsSettings(true, 8088, false, TlsSettings.DEFAULT_CIPHER_SUITES, "", "", "");
        assertEquals(
                List.of("bridge.provisioningHttpPort: clashes with a SIP TCP/TLS port (8088)"),
                problems(DEFAULTS.withProtocols(new ProtocolSettings(p.udp(), p.tcp(), tls, true, 24))));
    }

    @Test
    void traceLevelsNameKnownTopicsAndLevels() {
        BridgeConfig config = DEFAULTS.withDiagnostics(
                DEFAULTS.diagnostics().withTraceLevels(Map.of("sip", "LOUD", "telepathy", "INFO")));
        assertEquals(
                List.of(
                        "diagnostics.traceLevels.sip: must be one of [OFF, ERROR, WARN, INFO, DEBUG, TRACE] (was \"LOUD\")",
                        "diagnostics.traceLevels.telepathy: unknown tracing topic; topics are [config, dhcp, provisioning, sip, rtp, web, daemon]"),
                problems(config));
        assertEquals(
                List.of("diagnostics.retentionDays: must be between 1 and 365 (was 0)"),
                problems(DEFAULTS.withDiagnostics(new DiagnosticsSettings(false, 514, 0, true, Map.of()))));
    }

    @Test
    void adminPasswordIsNeverStoredInClear() {
        assertEquals(
                List.of("admin.passwordHash: must be a hash written by sipbridge (pbkdf2-sha256$...); "
                        + "set the password on the Administration page, never in clear here"),
                problems(DEFAULTS.withAdmin(new AdminSettings("it", "hunter2"))));
        assertEquals(
                List.of("admin.passwordHash: user name and password are set together, or both left empty"),
                problems(DEFAULTS.withAdmin(new AdminSettings("it", ""))));
        assertEquals(
                List.of(),
                problems(DEFAULTS.withAdmin(new AdminSettings("it", "pbkdf2-sha256$210000$c2FsdA==$aGFzaA=="))));
    }

    @Test
    void atLeastOneTransportStaysOn() {
        ProtocolSettings p = DEFAULTS.protocols();
        ProtocolSettings none = new ProtocolSettings(
                new org.sipbridge.config.UdpSettings(false, 8060, 500, 1000, 3, 4),
                new org.sipbridge.config.TcpSettings(false, 8060, 2),
                new TlsSettings(false, 8061, false, List.of(), "", "", ""),
                p.sipQosTaggingEnabled(),
                24);
        assertEquals(
                List.of("protocols: at least one of udp, tcp and tls must be enabled"),
                problems(DEFAULTS.withProtocols(none)));
    }

    @Test
    void phoneMacAllowListTakesMacsAndOuiPrefixes() {
        BridgeConfig ok =
                DEFAULTS.withBridge(DEFAULTS.bridge().withPhoneMacAllowList(List.of("00:04:f2", "48-25-67-aa-bb-cc")));
        assertEquals(List.of(), problems(ok));
        BridgeConfig bad = DEFAULTS.withBridge(DEFAULTS.bridge().withPhoneMacAllowList(List.of("00:04", "polycom")));
        assertEquals(
                List.of(
                        "bridge.phoneMacAllowList[0]: not a MAC (00:04:f2:12:34:56) or OUI prefix (00:04:f2) (was \"00:04\")",
                        "bridge.phoneMacAllowList[1]: not a MAC (00:04:f2:12:34:56) or OUI prefix (00:04:f2) (was \"polycom\")"),
                problems(bad));
    }
}
