package org.sipbridge.web;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.Station;
import org.sipbridge.config.WebSettings;
import org.sipbridge.config.persistence.ConfigFile;
import org.sipbridge.config.persistence.ConfigStore;
import org.sipbridge.contract.api.About;
import org.sipbridge.contract.api.CallMedia;
import org.sipbridge.contract.api.CallSession;
import org.sipbridge.contract.api.CallSessionDetail;
import org.sipbridge.contract.api.ProvisioningStatus;
import org.sipbridge.contract.api.QualitySample;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.contract.network.NetworkAdapter;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.status.AdapterStatus;
import org.sipbridge.contract.status.BridgeState;
import org.sipbridge.contract.status.BridgeStatus;
import org.sipbridge.contract.status.CallEvent;
import org.sipbridge.contract.status.RegistrationStatus;
import org.sipbridge.contract.status.ServerStatus;

/**
 * A web admin server over a real config file and store, with made-up status, adapters and calls
 * (one of them from a display name that is an HTML script tag), for the API and browser tests.
 */
final class UiFixture implements AutoCloseable {

    static final String SCRIPT_NAME = "<script>window.pwned=1</script>";

    final Path dir;
    final Path configFile;
    final ConfigStore store;
    final WebAdminServer server;
    final AtomicBoolean connected = new AtomicBoolean(true);
    final String base;

    UiFixture() throws Exception {
        this("127.0.0.1", java.time.Clock.systemUTC());
    }

    /** Listening on {@code bindAddress} (port chosen by the system), sessions and login limits on {@code clock}. */
    UiFixture(String bindAddress, java.time.Clock clock) throws Exception {
        dir = Files.createTempDirectory("webui");
        configFile = dir.resolve("sipbridge.json");
        BridgeConfig config = BridgeConfig.defaults()
                .withBridge(BridgeConfig.defaults()
                        .bridge()
                        .withServers(List.of("198.19.2.10:5060", "198.19.2.11:5060"))
                        .withAdapters("eth0", "tun0"))
                .withStations(List.of(
                        new Station("Front desk", "1001", "s3cret-1001"),
                        new Station("Lab phone", "1002", "s3cret-1002")));
        ConfigFile.save(configFile, config);
        store = new ConfigStore(configFile, ConfigFile.load(configFile));
        server = new WebAdminServer(
                        new WebSettings(bindAddress, 0),
                        UiFixture::status,
                        UiFixture::provisioning,
                        UpstreamCertificates.NONE,
                        sessions())
                .withAdmin(new AdminSources(
                        store,
                        UiFixture::adapters,
                        UiFixture::about,
                        new BridgeConnection() {
                            @Override
                            public boolean connected() {
                                return connected.get();
                            }

                            @Override
                            public void connect() {
                                connected.set(true);
                            }

                            @Override
                            public void disconnect() {
                                connected.set(false);
                            }
                        },
                        SipTls.NONE))
                .withManagement(new CentralManagement() {
                    @Override
                    public View view() {
                        var central = store.central();
                        return new View(
                                central.isEmpty() ? "off" : "managed",
                                central.isEmpty() ? "" : "https://prov.example.com/sipbridge/",
                                central.source(),
                                central.version(),
                                central.isEmpty() ? null : java.time.Instant.parse("2026-12-04T09:00:00Z"),
                                null,
                                null,
                                central.managedKeys(),
                                List.of(),
                                null);
                    }

                    @Override
                    public void syncNow() {}

                    @Override
                    public org.sipbridge.contract.tls.CertificateDetails trust(String sha256Fingerprint) {
                        throw new IllegalStateException("nothing to trust");
                    }
                })
                .withPhones(UiFixture::phones)
                .withClock(clock);
        server.start();
        base = "http://127.0.0.1:" + server.address().getPort();
    }

    static About about() {
        return new About(
                "sipbridge",
                "0.1.0-SNAPSHOT",
                "2026-11-22T09:00:00Z",
                "golf",
                Instant.parse("2026-11-22T09:30:00Z"),
                "not declared",
                "Eclipse Adoptium 17",
                "Linux",
                "/home/jane/.local/share/sipbridge/logs");
    }

    /** No DHCP or transfer yet; the injection tells phones 198.18.1.1:5060, and one phone fetched the file. */
    static ProvisioningStatus provisioning() {
        Instant t = Instant.parse("2026-12-05T09:00:00Z");
        ProvisioningStatus.ServedPhone served =
                new ProvisioningStatus.ServedPhone("00:04:f2:aa:bb:cc", "198.18.1.1:5060", t);
        return new ProvisioningStatus(
                new ProvisioningStatus.Dhcp(0, 0, Map.of(), 0, 0, Optional.empty()),
                List.of(),
                new ProvisioningStatus.PhoneConfig(true, "198.18.1.1:5060", "TCPOnly", "", List.of(served), List.of()));
    }

    /** Two phones: a Polycom in a call, and one the phone limit refused (its User-Agent is a script tag). */
    static PhoneList phones() {
        java.time.Instant t = java.time.Instant.parse("2026-12-05T09:00:00Z");
        PhoneList.FileRequest firmware = new PhoneList.FileRequest(
                "GET", "/3111-48400-001.sip.ld", 200, 51_000_000, 51_000_000, true, t.minusSeconds(600), 41_000);
        PhoneList.FileRequest master =
                new PhoneList.FileRequest("GET", "/000000000000.cfg", 200, 1200, 1200, true, t.minusSeconds(620), 30);
        PhoneList.Phone polycom = new PhoneList.Phone(
                Optional.of("00:04:f2:aa:bb:cc"),
                "198.18.1.10",
                "Polycom-VVX450",
                "PolycomVVX-VVX_450-UA/6.4.0.12345",
                "Polycom-VVX450",
                t.minusSeconds(700),
                t,
                Optional.of(new PhoneList.Inform(t.minusSeconds(650), true)),
                List.of(firmware, master),
                List.of(firmware),
                List.of(new PhoneList.Registration(
                        "sip:1001@pbx.example.com",
                        PhoneList.RegistrationState.REGISTERED,
                        200,
                        "OK",
                        "198.19.2.10:5060",
                        Optional.of(t.plusSeconds(3000)),
                        t.minusSeconds(600))),
                List.of(new PhoneList.Call(
                        "a84b4c76e66710@198.18.1.10",
                        "Jane Doe",
                        "Sales queue",
                        true,
                        "ANSWERED",
                        t.minusSeconds(95),
                        Optional.empty(),
                        95,
                        Optional.of(new PhoneList.Quality(4.3, 0.2, 3.1, Optional.of(42.0))))));
        PhoneList.Phone refused = new PhoneList.Phone(
                Optional.empty(),
                "198.18.1.77",
                "",
                SCRIPT_NAME,
                SCRIPT_NAME,
                t.minusSeconds(30),
                t.minusSeconds(30),
                Optional.empty(),
                List.of(),
                List.of(),
                List.of(new PhoneList.Registration(
                        "sip:1077@pbx.example.com",
                        PhoneList.RegistrationState.FAILED,
                        403,
                        "Phone limit of this bridge reached",
                        "",
                        Optional.empty(),
                        t.minusSeconds(30))),
                List.of());
        return new PhoneList(
                1,
                1,
                1,
                Optional.of(new PhoneList.Refusal("198.18.1.77", t.minusSeconds(30))),
                List.of(polycom, refused));
    }

    static BridgeStatus status() {
        return new BridgeStatus(
                BridgeState.READY,
                List.of(),
                List.of(Reason.warning(
                        "provisioning",
                        "The provisioning server does not answer",
                        "Check bridge.provisioningUpstream")),
                "Jane's desk phone",
                new AdapterStatus("lan", "eth0", "eth0", "eth0", "198.18.1.1", "198.18.1.0/24", true, ""),
                new AdapterStatus("vpn", "tun0", "tun0", "tun0", "198.19.2.1", "198.19.2.0/24", true, ""),
                List.of(
                        new ServerStatus("198.19.2.10:5060", ServerStatus.ServerState.UP, true, Instant.now(), 14),
                        new ServerStatus("198.19.2.11:5060", ServerStatus.ServerState.UP, false, Instant.now(), 17)),
                List.of(new RegistrationStatus(
                        "sip:1001@pbx.example", "sip:1001@198.18.1.10:5060", 3412, "198.19.2.10:5060")),
                List.of(),
                "0.1.0-SNAPSHOT",
                "golf",
                Instant.parse("2026-11-22T09:30:00Z"));
    }

    static List<NetworkAdapter> adapters() {
        return List.of(
                new NetworkAdapter("eth0", "eth0", true, false, List.of(Ipv4Subnet.parse("198.18.1.1/24"))),
                new NetworkAdapter("tun0", "tun0", true, false, List.of(Ipv4Subnet.parse("198.19.2.1/24"))),
                new NetworkAdapter("lo", "lo", true, true, List.of(Ipv4Subnet.parse("127.0.0.1/8"))));
    }

    private static CallMedia.Direction direction(long packets, double loss, double jitter, double mos) {
        return new CallMedia.Direction(
                packets,
                packets * 172,
                packets,
                Math.round(packets * loss / 100),
                loss,
                0,
                0,
                jitter,
                packets / 250,
                0,
                0,
                0,
                12.5,
                new CallMedia.Quality("G.711", true, 40, 88.1, mos, loss >= 1 ? List.of("LOSS") : List.of()));
    }

    private static CallMedia.Leg leg(String bridge, int bridgePort, String peer, int peerPort) {
        InetSocketAddress announced = new InetSocketAddress(peer, peerPort);
        return new CallMedia.Leg(
                new InetSocketAddress(bridge, bridgePort),
                announced,
                announced,
                new InetSocketAddress(peer, peerPort + 1),
                null,
                false,
                null);
    }

    private static CallSession call(
            String callId, String from, String to, long durationSec, boolean ended, boolean withTimeline) {
        Instant started = Instant.now().minusSeconds(durationSec);
        Instant answered = started.plusSeconds(2);
        Instant end = ended ? Instant.now() : null;
        CallMedia media = new CallMedia(
                callId,
                started,
                end,
                ended ? "RELEASED" : null,
                List.of(new CallMedia.Stream(
                        0,
                        "audio",
                        leg("198.18.1.1", 16384, "198.18.1.10", 2222),
                        leg("198.19.2.1", 16386, "198.19.2.10", 40000),
                        direction(50 * durationSec, 0.0, 2.1, 4.38),
                        direction(50 * durationSec, 1.6, 7.4, 3.95),
                        25.0,
                        0,
                        null)),
                null);
        return new CallSession(
                callId,
                from,
                to,
                true,
                ended ? "ENDED" : "ANSWERED",
                started,
                answered,
                end,
                durationSec,
                media,
                withTimeline ? timeline(started, answered) : null,
                "198.18.1.10");
    }

    private static List<CallEvent> timeline(Instant started, Instant answered) {
        return List.of(
                new CallEvent(started, "phone", "bridge", "INVITE (SDP)"),
                new CallEvent(started, "bridge", "pbx", "INVITE (SDP)"),
                new CallEvent(started, "pbx", "bridge", "180 Ringing"),
                new CallEvent(started, "bridge", "phone", "180 Ringing"),
                new CallEvent(answered, "pbx", "bridge", "200 OK (SDP)"),
                new CallEvent(answered, "bridge", "phone", "200 OK (SDP)"),
                new CallEvent(answered, "phone", "bridge", "ACK"),
                new CallEvent(answered, "bridge", "pbx", "ACK"));
    }

    private static List<QualitySample> history(long durationSec) {
        List<QualitySample> samples = new ArrayList<>();
        Instant start = Instant.now().minusSeconds(durationSec);
        for (long t = 0; t <= durationSec; t += 2) {
            double wave = Math.sin(t / 9.0);
            samples.add(new QualitySample(
                    start.plusSeconds(t),
                    new QualitySample.Point(50 * t, 0.0, 2 + wave, 25.0, 4.38),
                    new QualitySample.Point(
                            50 * t, Math.max(0, 1.2 + wave), 7 + 3 * wave, 25.0, 4.1 - 0.2 * Math.max(0, wave))));
        }
        return samples;
    }

    private static final List<String[]> CALLS = List.of(
            new String[] {"a84b4c76e66710@198.18.1.10", SCRIPT_NAME, "Sales queue", "185", ""},
            new String[] {"f81d4fae-7dec-11d0-a765@198.18.1.10", "Jane Doe", "Bob <bob@example.com>", "42", ""},
            new String[] {"3848276298220188511@198.19.2.10", "Reception", "Jane Doe", "305", "ended"});

    private static List<CallSession> calls(boolean withTimeline) {
        return CALLS.stream()
                .map(c -> call(c[0], c[1], c[2], Long.parseLong(c[3]), !c[4].isEmpty(), withTimeline))
                .toList();
    }

    static Sessions sessions() {
        return new Sessions() {
            @Override
            public List<CallSession> list(String filter) {
                return calls(false).stream()
                        .filter(c -> filter.isEmpty()
                                || c.callId().contains(filter)
                                || c.from().contains(filter)
                                || c.to().contains(filter))
                        .toList();
            }

            @Override
            public Optional<CallSessionDetail> get(String callId) {
                return calls(true).stream()
                        .filter(c -> c.callId().equals(callId))
                        .findFirst()
                        .map(c -> new CallSessionDetail(c, history(c.durationSec())));
            }
        };
    }

    @Override
    public void close() throws Exception {
        server.stop();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
