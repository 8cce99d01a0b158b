package org.sipbridge.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.contract.network.NetworkAdapter;
import org.sipbridge.contract.service.BridgeService;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.service.StartFailure;
import org.sipbridge.contract.status.BridgeEvent;
import org.sipbridge.contract.status.BridgeStatus;
import org.sipbridge.contract.status.DscpMarking;
import org.sipbridge.contract.status.RegistrationStatus;
import org.sipbridge.contract.status.ServerStatus;
import org.sipbridge.contract.status.VpnDscp;
import org.sipbridge.rtp.CallQualityWarnings;
import org.sipbridge.rtp.SessionSnapshot;
import org.sipbridge.rtp.quality.CallQuality;
import org.sipbridge.rtp.quality.Codec;
import org.sipbridge.rtp.quality.DirectionSnapshot;
import org.sipbridge.rtp.relay.StreamSnapshot;
import org.sipbridge.sip.SipRelayService;
import org.sipbridge.sip.SipStatus;
import org.sipbridge.web.Json;

/**
 * The whole {@code GET /api/status} body as the daemon composes it from its services, for a representative
 * set of their states (fresh install, disconnected with failures and warnings, Ready with warnings, adapters
 * that overlap or went away), byte for byte as recorded in {@code status-golden.json} before the services
 * supplied their own parts (issue #20): which part says what, and in which order, cannot change unnoticed.
 */
class StatusCompositionTest {

    private static final Instant T0 = Instant.parse("2026-12-05T04:00:00Z");
    private static final List<NetworkAdapter> ADAPTERS = List.of(
            new NetworkAdapter("eth0", "Ethernet", true, false, List.of(Ipv4Subnet.parse("198.18.1.1/24"))),
            new NetworkAdapter("tun0", "tun0", true, false, List.of(Ipv4Subnet.parse("198.19.2.1/24"))),
            new NetworkAdapter("tun1", "tun1", true, false, List.of(Ipv4Subnet.parse("198.18.1.77/16"))),
            new NetworkAdapter("lo", "lo", true, true, List.of(Ipv4Subnet.parse("127.0.0.1/8"))));
    private static final ServerStatus UP =
            new ServerStatus("198.19.2.10:5060", ServerStatus.ServerState.UP, true, T0, 5);
    private static final ServerStatus DOWN =
            new ServerStatus("198.19.2.11:5060", ServerStatus.ServerState.DOWN, false, null, -1);
    private static final RegistrationStatus REGISTERED =
            new RegistrationStatus("sip:1001@sipbridge.lab", "sip:1001@198.18.1.10:5060", 300, "198.19.2.10:5060");
    private static final VpnDscp WIREGUARD =
            new VpnDscp("tun0", "WireGuard", VpnDscp.Reach.NOT_COPIED, "Priority marking cannot reach the internet");

    /** One state of every service the status reads. */
    private record State(
            BridgeConfig config,
            boolean disconnected,
            List<BridgeService> services,
            List<SessionSnapshot> media,
            List<ServerStatus> servers,
            List<RegistrationStatus> registrations,
            DscpMarking dscp,
            VpnDscp acrossVpn) {}

    private static BridgeConfig configured(String lan, String vpn, String... servers) {
        BridgeConfig d = BridgeConfig.defaults();
        return d.withBridge(d.bridge().withServers(List.of(servers)).withAdapters(lan, vpn));
    }

    private static BridgeService service(String name, StartFailure failure, Exception cannotStart, Reason... reasons) {
        return new BridgeService() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void start() throws Exception {
                if (cannotStart != null) {
                    throw cannotStart;
                }
            }

            @Override
            public void stop() {}

            @Override
            public StartFailure startFailure() {
                return failure;
            }

            @Override
            public List<Reason> reasons() {
                return List.of(reasons);
            }
        };
    }

    private static DirectionSnapshot direction(double lossPercent, double jitterMs) {
        return new DirectionSnapshot(
                500,
                500 * 172,
                510,
                10,
                lossPercent,
                0,
                0,
                jitterMs,
                0,
                0,
                0,
                0,
                null,
                CallQuality.assess(Codec.G711, lossPercent, jitterMs, Double.NaN));
    }

    private static SessionSnapshot badCall() {
        return new SessionSnapshot(
                "m1",
                "c1",
                T0,
                null,
                null,
                List.of(new StreamSnapshot(
                        0, "audio", null, null, direction(3.0, 4), direction(0.5, 45.5), null, 0, null)));
    }

    private static Map<String, State> states() {
        Map<String, State> states = new LinkedHashMap<>();
        states.put(
                "freshInstall",
                new State(
                        BridgeConfig.defaults(),
                        false,
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(),
                        DscpMarking.confirmed(),
                        VpnDscp.unknown("tun0", "cannot tell")));
        states.put(
                "disconnectedWithFailuresAndWarnings",
                new State(
                        configured("eth0", "tun0", "198.19.2.10", "198.19.2.11"),
                        true,
                        List.of(
                                service("central-config", StartFailure.warning(""), null),
                                service(
                                        "rtp-relay",
                                        StartFailure.notReady("Free the media ports."),
                                        new java.net.BindException("port 40000 taken")),
                                service(
                                        "web-admin",
                                        StartFailure.warning("Choose another web.port."),
                                        new java.net.BindException("port 8080 taken")),
                                service(
                                        "dhcp-responder",
                                        StartFailure.warning(""),
                                        null,
                                        Reason.warning("dhcp", "Another DHCP server answers", "Switch it off")),
                                service(
                                        "provisioning-proxy",
                                        StartFailure.warning(""),
                                        null,
                                        Reason.notReady("provisioning", "Upstream refused", "Check the URL"),
                                        Reason.warning("provisioning", "Upstream slow", ""))),
                        List.of(badCall()),
                        List.of(DOWN),
                        List.of(),
                        DscpProbe.probe("Windows 10"),
                        WIREGUARD));
        states.put(
                "readyWithWarnings",
                new State(
                        configured("eth0", "198.19.2.1", "198.19.2.10", "198.19.2.11"),
                        false,
                        List.of(service(
                                "syslog-receiver",
                                StartFailure.warning(""),
                                null,
                                Reason.warning("syslog", "Too many datagrams", ""))),
                        List.of(badCall()),
                        List.of(UP, DOWN),
                        List.of(REGISTERED),
                        DscpMarking.confirmed(),
                        new VpnDscp("tun0", "OpenVPN", VpnDscp.Reach.ONLY_IF_CONFIGURED, "only if passtos")));
        states.put(
                "overlappingSubnets",
                new State(
                        configured("eth0", "tun1", "198.19.2.10"),
                        false,
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(),
                        DscpMarking.confirmed(),
                        WIREGUARD));
        states.put(
                "vpnGoneLanUnset",
                new State(
                        configured("", "wg0", "198.19.2.10"),
                        false,
                        List.of(),
                        List.of(),
                        List.of(UP),
                        List.of(),
                        DscpMarking.confirmed(),
                        WIREGUARD));
        return states;
    }

    /** The status the daemon would report in {@code state}, composed as {@link Daemon} wires it. */
    private static BridgeStatus compose(State state) throws Exception {
        ServiceManager manager = new ServiceManager();
        manager.manage(state.services());
        manager.startAll();
        AdapterBoundService<SipRelayService> sip =
                new AdapterBoundService<>("sip-relay", state::config, () -> ADAPTERS, true, (lan, vpn) -> {
                    throw new AssertionError("not started here");
                });
        SipConnection connection = new SipConnection(sip);
        if (state.disconnected()) {
            connection.disconnect();
        }
        List<BridgeEvent> events = List.of(new BridgeEvent(T0, "The VPN adapter came back; rebound the relays"));
        return new StatusAggregator(
                        new StatusAggregator.Sources(
                                state::config,
                                () -> ADAPTERS,
                                () -> List.of("web.port"),
                                () -> events,
                                List.of(
                                        connection,
                                        manager,
                                        new CallQualityWarnings(state::media),
                                        new SipStatus(new SipStatus.Sources(
                                                () -> state.config().bridge().servers(),
                                                state::servers,
                                                state::registrations)),
                                        new DscpStatus(state.dscp(), adapter -> state.acrossVpn()))),
                        "1.2.3",
                        "golf",
                        T0)
                .snapshot();
    }

    @Test
    void theComposedStatusOfEachStateIsAsRecorded() throws Exception {
        List<String> bodies = new ArrayList<>();
        for (Map.Entry<String, State> state : states().entrySet()) {
            bodies.add("\"" + state.getKey() + "\": " + Json.write(compose(state.getValue())));
        }
        String actual = "{\n" + String.join(",\n", bodies) + "\n}\n";
        String golden = golden();
        if (!golden.equals(actual)) {
            Path written = Path.of("target", "status-golden.actual.json");
            Files.writeString(written, actual);
            assertEquals(golden, actual, "the actual body is in " + written.toAbsolutePath());
        }
    }

    private static String golden() throws IOException {
        try (InputStream in = StatusCompositionTest.class.getResourceAsStream("/status-golden.json")) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
