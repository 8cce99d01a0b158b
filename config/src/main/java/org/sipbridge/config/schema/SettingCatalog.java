package org.sipbridge.config.schema;

import static org.sipbridge.config.schema.ApplyMode.LIVE;
import static org.sipbridge.config.schema.ApplyMode.RESTART;
import static org.sipbridge.config.schema.SettingType.BOOLEAN;
import static org.sipbridge.config.schema.SettingType.INTEGER;
import static org.sipbridge.config.schema.SettingType.OBJECT_LIST;
import static org.sipbridge.config.schema.SettingType.STRING;
import static org.sipbridge.config.schema.SettingType.STRING_LIST;
import static org.sipbridge.config.schema.SettingType.STRING_MAP;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sipbridge.config.BridgeSettings;
import org.sipbridge.config.CaptureCipherSuite;
import org.sipbridge.config.Transport;
import org.sipbridge.config.schema.Limit.IntRange;
import org.sipbridge.config.schema.Limit.Length;
import org.sipbridge.config.schema.Limit.Prose;

/**
 * Every configuration key, in the order of the web pages. The loader uses it to check shapes, the
 * store to tell which changes need a restart, and docs/configuration.md is generated from it.
 */
public final class SettingCatalog {

    private static final IntRange PORT = IntRange.PORT;
    private static final IntRange DSCP = IntRange.of(0, 63, " (46 = EF, 24 = CS3)");
    private static final List<String> TRANSPORTS =
            Arrays.stream(Transport.values()).map(Transport::key).toList();
    private static final List<String> CAPTURE_SUITES =
            Arrays.stream(CaptureCipherSuite.values()).map(Enum::name).toList();

    private static final Map<String, Setting> SETTINGS = new LinkedHashMap<>();

    static {
        add(
                "bridge.name",
                STRING,
                LIVE,
                Length.upTo(64),
                "Name of this bridge, shown on the status pages and in logs.");
        add(
                "bridge.servers",
                STRING_LIST,
                LIVE,
                "up to 8 entries `host[:port]` (port 5060 if omitted)",
                "The registration group: PBX servers in failover order; the first healthy one is used.");
        add(
                "bridge.serverTransport",
                TRANSPORTS,
                LIVE,
                "`udp`, `tcp`, `tls`",
                "SIP transport from the bridge to the PBX, over the VPN adapter.");
        add(
                "bridge.lanAdapter",
                STRING,
                RESTART,
                "interface name (`eth0`, `Wi-Fi`) or its IPv4 address",
                "The adapter on the home LAN, where the phone is.");
        add(
                "bridge.vpnAdapter",
                STRING,
                RESTART,
                "interface name (`tun0`, `wg0`) or its IPv4 address",
                "The VPN adapter that reaches the PBX and the provisioning server.");
        add(
                "bridge.listenPort",
                INTEGER,
                RESTART,
                PORT,
                "Port on the VPN adapter for remote administration by IT (HTTPS, only while a login is set).");
        add(
                "bridge.managedPhoneProvisioning",
                BOOLEAN,
                LIVE,
                "true / false",
                "Answer the phone's DHCPINFORM and proxy its provisioning.");
        add(
                "bridge.dhcpOptionCode",
                INTEGER,
                LIVE,
                IntRange.of(1, 254, ", except 50–61 (DHCP's own options)"),
                "DHCP option that carries the provisioning URL in the answer to DHCPINFORM.");
        add(
                "bridge.phoneMacAllowList",
                STRING_LIST,
                LIVE,
                "empty (any phone), or MACs `00:04:f2:12:34:56` / OUI prefixes `00:04:f2`",
                "Only these phones get the provisioning URL in the DHCPINFORM answer (e.g. Polycom's 00:04:f2, 48:25:67).");
        add("bridge.provisioningHttpPort", INTEGER, RESTART, PORT, "HTTP provisioning port on the LAN adapter.");
        add("bridge.provisioningHttpsPort", INTEGER, RESTART, PORT, "HTTPS provisioning port on the LAN adapter.");
        add(
                "bridge.provisioningOverHttps",
                BOOLEAN,
                LIVE,
                "true / false",
                "Give the phone the HTTPS URL (provisioningHttpsPort) in the DHCPINFORM answer instead of the HTTP one.");
        add(
                "bridge.provisioningCertificateFile",
                STRING,
                RESTART,
                "empty, or a PEM file",
                "Certificate chain of the HTTPS provisioning listener; empty = the one generated on first start.");
        add(
                "bridge.provisioningPrivateKeyFile",
                STRING,
                RESTART,
                "empty, or a PEM file",
                "The key of bridge.provisioningCertificateFile.");
        add(
                "bridge.provisioningUpstream",
                STRING,
                LIVE,
                "empty, or an `http://` / `https://` URL",
                "The office provisioning server the proxy relays to (an optional base path is kept).");
        add(
                "bridge.sipRegistrationProtocol",
                TRANSPORTS,
                LIVE,
                "`udp`, `tcp`, `tls`",
                "SIP transport between the phone and the bridge.");
        add(
                "bridge.phoneConfigInjection",
                BOOLEAN,
                LIVE,
                "true / false",
                "With managed provisioning, put a file the bridge serves first in a Polycom master file's CONFIG_FILES: "
                        + "it makes the bridge's LAN address the phone's outbound proxy (docs/provisioning.md).");
        add(
                "bridge.maxPhones",
                INTEGER,
                LIVE,
                IntRange.of(1, BridgeSettings.MAX_PHONES_LIMIT),
                "Phones (LAN addresses with a registration) the bridge serves at once; a REGISTER from one more is "
                        + "refused with 403 (docs/sip.md, \"Several phones\").");

        add(
                "stations",
                OBJECT_LIST,
                LIVE,
                "up to 100 stations, user names unique",
                "Configuration › Authentication: credentials the bridge uses to answer the PBX's challenges.");
        add("stations[].name", STRING, LIVE, Length.required(64), "A label for the station.");
        add(
                "stations[].userName",
                STRING,
                LIVE,
                Length.required(128).withNote(", no spaces"),
                "The SIP user (digest user name) this station's phone registers as.");
        add(
                "stations[].password",
                STRING,
                LIVE,
                Length.required(128),
                "Digest password; kept in clear (digest needs it), so the file is owner-readable only.");

        addTransport("udp", 8060);
        add(
                "protocols.udp.t1Ms",
                INTEGER,
                LIVE,
                IntRange.of(1, 10_000),
                "Timer T1: first retransmission interval (RTT estimate).");
        add(
                "protocols.udp.t2Ms",
                INTEGER,
                LIVE,
                new IntRange(1, 40_000, "protocols.udp.t1Ms", ""),
                "Timer T2: longest retransmission interval.");
        add(
                "protocols.udp.maxInviteRetries",
                INTEGER,
                LIVE,
                IntRange.of(1, 10),
                "INVITE sends without an answer before the destination counts as unreachable.");
        add(
                "protocols.udp.maxPacketRetries",
                INTEGER,
                LIVE,
                IntRange.of(1, 15),
                "Non-INVITE sends without an answer before the destination counts as unreachable.");
        addTransport("tcp", 8060);
        add(
                "protocols.tcp.connectTimeoutSec",
                INTEGER,
                LIVE,
                IntRange.of(1, 60),
                "Seconds to wait for a TCP connection.");
        addTransport("tls", 8061);
        add(
                "protocols.tls.mutualAuth",
                BOOLEAN,
                RESTART,
                "true / false",
                "Require the peer to present a trusted certificate.");
        add(
                "protocols.tls.cipherSuites",
                STRING_LIST,
                RESTART,
                "cipher suite names this Java supports",
                "Allowed TLS cipher suites (TLS 1.2 and 1.3 only).");
        add(
                "protocols.tls.certificateFile",
                STRING,
                RESTART,
                "empty, or a PEM file",
                "The bridge's certificate chain; empty = the one generated on first start.");
        add(
                "protocols.tls.privateKeyFile",
                STRING,
                RESTART,
                "empty, or a PEM file",
                "The key of protocols.tls.certificateFile.");
        add(
                "protocols.tls.trustedAuthoritiesFile",
                STRING,
                RESTART,
                "empty, or a PEM file",
                "Extra certificate authorities to trust; empty = the Java trust store only.");
        add("protocols.sipQosTaggingEnabled", BOOLEAN, LIVE, "true / false", "Mark SIP packets with a DSCP.");
        add("protocols.sipQosDscpValue", INTEGER, LIVE, DSCP, "DSCP on SIP packets the bridge sends.");

        add("media.rtpQosTaggingEnabled", BOOLEAN, LIVE, "true / false", "Mark RTP packets with a DSCP.");
        add("media.rtpQosDscpValue", INTEGER, LIVE, DSCP, "DSCP on RTP packets the bridge sends.");
        add("media.rtcpQosTaggingEnabled", BOOLEAN, LIVE, "true / false", "Mark RTCP packets with a DSCP.");
        add("media.rtcpQosDscpValue", INTEGER, LIVE, DSCP, "DSCP on RTCP packets the bridge sends.");
        add(
                "media.rtpPortRange",
                STRING,
                RESTART,
                "`first-last`, first even and ≥ 1024, at least 4 ports",
                "UDP ports for media; each call uses 4 (RTP and RTCP on each side).");
        add(
                "media.rtpDiagnosticCaptureEnabled",
                BOOLEAN,
                LIVE,
                "true / false",
                "Write every relayed RTP/RTCP packet of each call to a pcap file in the log folder.");
        add(
                "media.rtpDiagnosticCaptureCipherSuite",
                CAPTURE_SUITES,
                LIVE,
                String.join(", ", CAPTURE_SUITES),
                "Protection of capture files: none, authenticated, or encrypted and authenticated.");
        add(
                "media.maxStreamsPerCall",
                INTEGER,
                LIVE,
                IntRange.of(1, 16),
                "Most m-lines (media streams) one call's SDP may have; an offer with more is refused with 488 (each stream costs 4 ports).");
        add(
                "media.holdTimeoutSec",
                INTEGER,
                LIVE,
                IntRange.of(60, 86_400),
                "Seconds a call may stay without two-way media (on hold, inactive, or never answered) before its media ends and the call is hung up.");
        add(
                "media.vpnSourceLearning",
                BOOLEAN,
                LIVE,
                "true / false",
                "Learning mode: when nothing comes from the address the PBX's SDP announced, accept (after 250 ms) the first source in the VPN subnet or a bridge.servers network (/24) instead; false = strict, only the announced address. Never a LAN or own address.");

        add(
                "diagnostics.syslogReceiverEnabled",
                BOOLEAN,
                LIVE,
                "true / false",
                "Receive the phone's syslog (UDP, LAN adapter) into syslog.log in the log folder.");
        add("diagnostics.syslogPort", INTEGER, LIVE, PORT, "UDP port of the syslog receiver.");
        add("diagnostics.retentionDays", INTEGER, LIVE, IntRange.of(1, 365), "Days log files are kept.");
        add("diagnostics.compression", BOOLEAN, LIVE, "true / false", "Gzip log files when they roll over.");
        add(
                "diagnostics.traceLevels",
                STRING_MAP,
                LIVE,
                "topic → `OFF` `ERROR` `WARN` `INFO` `DEBUG` `TRACE`; topics: config, dhcp, provisioning, sip, rtp, web, daemon",
                "Log level of each tracing topic (one per module).");

        add(
                "admin.userName",
                STRING,
                LIVE,
                Length.emptyOrUpTo(64),
                "Web UI login; empty = no login, and the UI is then reachable from this computer only.");
        add(
                "admin.passwordHash",
                STRING,
                LIVE,
                "empty, or `pbkdf2-sha256$iterations$salt$hash`",
                "Salted slow hash of the web UI password (set it through the Administration page).");

        add(
                "web.bindAddress",
                STRING,
                RESTART,
                "an IPv4 or IPv6 address",
                "Address of the web UI and JSON API; 127.0.0.1 = this computer only.");
        add("web.port", INTEGER, RESTART, PORT, "Port of the web UI and JSON API.");

        add(
                "management.url",
                STRING,
                LIVE,
                "empty, or an `https://` URL ending in `/`",
                "Central configuration folder: the bridge fetches `<url><bridge id>.json` over `<url>default.json` "
                        + "(bridge id = bridge.name, else the host name); empty = configured here only. Local only.");
        add(
                "management.pollSeconds",
                INTEGER,
                LIVE,
                IntRange.of(10, 86_400),
                "How often to look for a changed central document (±10 % jitter), and right after the VPN comes up.");
        add(
                "management.userName",
                STRING,
                LIVE,
                Length.emptyOrUpTo(128),
                "HTTP Basic user for the central configuration server; empty = no Basic auth.");
        add("management.password", STRING, LIVE, Length.upTo(1024), "Password of management.userName.");
        add(
                "management.bearerToken",
                STRING,
                LIVE,
                Length.emptyOrUpTo(4096),
                "Bearer token for the central configuration server (instead of Basic auth).");
    }

    private SettingCatalog() {}

    private static void addTransport(String transport, int port) {
        String prefix = "protocols." + transport;
        String name = transport.toUpperCase(java.util.Locale.ROOT);
        add(prefix + ".enabled", BOOLEAN, RESTART, "true / false", "Accept and send SIP over " + name + ".");
        // TLS on the VPN adapter only while the PBX is reached over TLS: nothing listens wider than it must.
        String adapters = transport.equals("tls")
                ? "the LAN adapter, and on the VPN adapter while `bridge.serverTransport` is `tls`"
                : "both adapters";
        add(
                prefix + ".port",
                INTEGER,
                RESTART,
                PORT,
                "SIP " + name + " port on " + adapters + " (default " + port + ").");
    }

    private static void add(String key, SettingType type, ApplyMode mode, String range, String description) {
        add(key, type, mode, new Prose(range), description);
    }

    private static void add(String key, SettingType type, ApplyMode mode, Limit limit, String description) {
        SETTINGS.put(key, new Setting(key, type, mode, List.of(), limit, description));
    }

    private static void add(String key, List<String> allowed, ApplyMode mode, String range, String description) {
        SETTINGS.put(key, new Setting(key, STRING, mode, allowed, new Prose(range), description));
    }

    public static List<Setting> all() {
        return List.copyOf(SETTINGS.values());
    }

    /** The number range of an integer key; the validator checks values against it. */
    public static IntRange intRange(String key) {
        return limit(key, IntRange.class);
    }

    /** The length bounds of a string key; the validator checks values against them. */
    public static Length length(String key) {
        return limit(key, Length.class);
    }

    private static <T extends Limit> T limit(String key, Class<T> kind) {
        Limit limit = find(key)
                .orElseThrow(() -> new IllegalArgumentException("no setting " + key))
                .limit();
        if (!kind.isInstance(limit)) {
            throw new IllegalArgumentException(key + " has no " + kind.getSimpleName() + " limit");
        }
        return kind.cast(limit);
    }

    /** The setting of a key; list indexes are ignored ({@code stations[2].name} → {@code stations[].name}). */
    public static Optional<Setting> find(String key) {
        return Optional.ofNullable(SETTINGS.get(key.replaceAll("\\[\\d+]", "[]")));
    }
}
