package org.sipbridge.config.validation;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.sipbridge.config.AdminSettings;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.BridgeSettings;
import org.sipbridge.config.DiagnosticsSettings;
import org.sipbridge.config.ManagementSettings;
import org.sipbridge.config.MediaSettings;
import org.sipbridge.config.PortRange;
import org.sipbridge.config.ProtocolSettings;
import org.sipbridge.config.ServerAddress;
import org.sipbridge.config.Station;
import org.sipbridge.config.TlsSettings;
import org.sipbridge.config.TraceTopic;
import org.sipbridge.config.UdpSettings;
import org.sipbridge.config.WebSettings;
import org.sipbridge.config.schema.Limit.IntRange;
import org.sipbridge.config.schema.SettingCatalog;

/** Checks every value of a configuration and reports all problems at once. */
public final class ConfigValidator {

    static final int MAX_SERVERS = 8;
    static final int MAX_STATIONS = 100;
    private static final int DHCP_PORT = 67;
    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern MAC_OR_OUI =
            Pattern.compile("\\p{XDigit}{2}([:-]\\p{XDigit}{2}){2}(([:-]\\p{XDigit}{2}){3})?");
    private static final Pattern PASSWORD_HASH =
            Pattern.compile("pbkdf2-sha256\\$\\d{4,9}\\$[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+");

    private ConfigValidator() {}

    /** Returns the problems of {@code config}; empty when it may be used. */
    public static List<ConfigProblem> validate(BridgeConfig config) {
        Problems problems = new Problems();
        bridge(config.bridge(), problems);
        stations(config.stations(), problems);
        protocols(config.protocols(), problems);
        media(config.media(), problems);
        diagnostics(config.diagnostics(), problems);
        admin(config.admin(), problems);
        web(config.web(), problems);
        management(config.management(), problems);
        portClashes(config, problems);
        return problems.list();
    }

    /** Throws when {@code config} has any problem. */
    public static BridgeConfig requireValid(BridgeConfig config) throws ConfigException {
        List<ConfigProblem> problems = validate(config);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    private static void bridge(BridgeSettings bridge, Problems problems) {
        problems.length("bridge.name", bridge.name());
        problems.printable("bridge.name", bridge.name());
        if (bridge.servers().size() > MAX_SERVERS) {
            problems.add(
                    "bridge.servers",
                    "at most " + MAX_SERVERS + " servers (was "
                            + bridge.servers().size() + ")");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < bridge.servers().size(); i++) {
            String key = "bridge.servers[" + i + "]";
            String server = bridge.servers().get(i);
            try {
                if (!seen.add(ServerAddress.parse(server).toString())) {
                    problems.add(key, "listed twice (" + server + ")");
                }
            } catch (IllegalArgumentException e) {
                problems.add(key, e.getMessage() + " (was \"" + server + "\")");
            }
        }
        adapter("bridge.lanAdapter", bridge.lanAdapter(), problems);
        adapter("bridge.vpnAdapter", bridge.vpnAdapter(), problems);
        if (!bridge.lanAdapter().isBlank() && bridge.lanAdapter().equals(bridge.vpnAdapter())) {
            problems.add(
                    "bridge.vpnAdapter", "must differ from bridge.lanAdapter (both \"" + bridge.lanAdapter() + "\")");
        }
        problems.range("bridge.listenPort", bridge.listenPort());
        int option = bridge.dhcpOptionCode();
        if (!SettingCatalog.intRange("bridge.dhcpOptionCode").contains(option)) {
            problems.range("bridge.dhcpOptionCode", option);
        } else if (option >= 50 && option <= 61) {
            problems.add(
                    "bridge.dhcpOptionCode", "options 50-61 belong to DHCP itself; use 160 or 66 (was " + option + ")");
        }
        IntRange phones = SettingCatalog.intRange("bridge.maxPhones");
        if (!phones.contains(bridge.maxPhones())) {
            problems.add(
                    "bridge.maxPhones",
                    "must be between " + phones.min() + " and " + phones.max()
                            + "; it bounds the phones the bridge tracks (was " + bridge.maxPhones() + ")");
        }
        for (int i = 0; i < bridge.phoneMacAllowList().size(); i++) {
            String entry = bridge.phoneMacAllowList().get(i);
            if (!MAC_OR_OUI.matcher(entry.trim()).matches()) {
                problems.add(
                        "bridge.phoneMacAllowList[" + i + "]",
                        "not a MAC (00:04:f2:12:34:56) or OUI prefix (00:04:f2) (was \"" + entry + "\")");
            }
        }
        problems.range("bridge.provisioningHttpPort", bridge.provisioningHttpPort());
        problems.range("bridge.provisioningHttpsPort", bridge.provisioningHttpsPort());
        upstream(bridge.provisioningUpstream(), problems);
        if (bridge.provisioningCertificateFile().isEmpty()
                != bridge.provisioningPrivateKeyFile().isEmpty()) {
            problems.add(
                    bridge.provisioningCertificateFile().isEmpty()
                            ? "bridge.provisioningCertificateFile"
                            : "bridge.provisioningPrivateKeyFile",
                    "certificate and private key files must be given together");
        }
        readableFile("bridge.provisioningCertificateFile", bridge.provisioningCertificateFile(), problems);
        readableFile("bridge.provisioningPrivateKeyFile", bridge.provisioningPrivateKeyFile(), problems);
    }

    private static void adapter(String key, String value, Problems problems) {
        problems.maxLength(key, value, 256);
        problems.printable(key, value);
    }

    private static void upstream(String url, Problems problems) {
        String key = "bridge.provisioningUpstream";
        if (url.isEmpty()) {
            return;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                problems.add(key, "must start with http:// or https:// (was \"" + url + "\")");
            } else if (uri.getHost() == null) {
                problems.add(key, "has no host name (was \"" + url + "\")");
            } else if (uri.getUserInfo() != null) {
                problems.add(key, "must not hold a user name or password; the phone sends its own credentials");
            } else if (uri.getQuery() != null || uri.getFragment() != null) {
                problems.add(key, "must not have a query or fragment (was \"" + url + "\")");
            }
        } catch (URISyntaxException e) {
            problems.add(key, "not a URL: " + e.getReason() + " (was \"" + url + "\")");
        }
    }

    private static void stations(List<Station> stations, Problems problems) {
        if (stations.size() > MAX_STATIONS) {
            problems.add("stations", "at most " + MAX_STATIONS + " stations (was " + stations.size() + ")");
        }
        Set<String> userNames = new HashSet<>();
        for (int i = 0; i < stations.size(); i++) {
            Station station = stations.get(i);
            String key = "stations[" + i + "]";
            required(key + ".name", station.name(), problems);
            required(key + ".userName", station.userName(), problems);
            if (station.userName().chars().anyMatch(Character::isWhitespace)) {
                problems.add(key + ".userName", "must not contain spaces");
            }
            if (!station.userName().isEmpty() && !userNames.add(station.userName())) {
                problems.add(key + ".userName", "\"" + station.userName() + "\" is used by another station");
            }
            required(key + ".password", station.password(), problems);
        }
    }

    private static void required(String key, String value, Problems problems) {
        problems.length(key, value);
        problems.printable(key, value);
    }

    private static void protocols(ProtocolSettings protocols, Problems problems) {
        UdpSettings udp = protocols.udp();
        problems.range("protocols.udp.port", udp.port());
        IntRange t1 = SettingCatalog.intRange("protocols.udp.t1Ms");
        if (udp.t1Ms() < t1.min()) {
            problems.add("protocols.udp.t1Ms", "must be > " + (t1.min() - 1) + " (was " + udp.t1Ms() + ")");
        } else if (udp.t1Ms() > t1.max()) {
            problems.add("protocols.udp.t1Ms", "must be at most " + t1.max() + " (was " + udp.t1Ms() + ")");
        }
        if (udp.t2Ms() < udp.t1Ms() && udp.t1Ms() > 0) {
            problems.add(
                    "protocols.udp.t2Ms",
                    "must be at least protocols.udp.t1Ms = " + udp.t1Ms() + " (was " + udp.t2Ms() + ")");
        } else {
            problems.range("protocols.udp.t2Ms", udp.t2Ms());
        }
        problems.range("protocols.udp.maxInviteRetries", udp.maxInviteRetries());
        problems.range("protocols.udp.maxPacketRetries", udp.maxPacketRetries());
        problems.range("protocols.tcp.port", protocols.tcp().port());
        problems.range("protocols.tcp.connectTimeoutSec", protocols.tcp().connectTimeoutSec());
        tls(protocols.tls(), problems);
        problems.range("protocols.sipQosDscpValue", protocols.sipQosDscpValue());
        if (!protocols.udp().enabled()
                && !protocols.tcp().enabled()
                && !protocols.tls().enabled()) {
            problems.add("protocols", "at least one of udp, tcp and tls must be enabled");
        }
    }

    private static void tls(TlsSettings tls, Problems problems) {
        problems.range("protocols.tls.port", tls.port());
        if (tls.enabled() && tls.cipherSuites().isEmpty()) {
            problems.add("protocols.tls.cipherSuites", "must list at least one suite while TLS is enabled");
        }
        Set<String> supported = SupportedCipherSuites.names();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < tls.cipherSuites().size(); i++) {
            String suite = tls.cipherSuites().get(i);
            String key = "protocols.tls.cipherSuites[" + i + "]";
            if (!supported.contains(suite)) {
                problems.add(key, "not a cipher suite this Java supports (was \"" + suite + "\")");
            } else if (!seen.add(suite)) {
                problems.add(key, "listed twice (" + suite + ")");
            }
        }
        if (tls.certificateFile().isEmpty() != tls.privateKeyFile().isEmpty()) {
            problems.add(
                    tls.certificateFile().isEmpty() ? "protocols.tls.certificateFile" : "protocols.tls.privateKeyFile",
                    "certificateFile and privateKeyFile must be given together");
        }
        readableFile("protocols.tls.certificateFile", tls.certificateFile(), problems);
        readableFile("protocols.tls.privateKeyFile", tls.privateKeyFile(), problems);
        readableFile("protocols.tls.trustedAuthoritiesFile", tls.trustedAuthoritiesFile(), problems);
    }

    private static void readableFile(String key, String file, Problems problems) {
        if (file.isEmpty()) {
            return;
        }
        try {
            if (!Files.isReadable(Path.of(file))) {
                problems.add(key, "no readable file at " + file);
            }
        } catch (InvalidPathException e) {
            problems.add(key, "not a file path: " + e.getReason());
        }
    }

    private static void media(MediaSettings media, Problems problems) {
        problems.range("media.rtpQosDscpValue", media.rtpQosDscpValue());
        problems.range("media.rtcpQosDscpValue", media.rtcpQosDscpValue());
        problems.range("media.maxStreamsPerCall", media.maxStreamsPerCall());
        problems.range("media.holdTimeoutSec", media.holdTimeoutSec());
        String key = "media.rtpPortRange";
        try {
            PortRange range = PortRange.parse(media.rtpPortRange());
            if (range.first() < 1024) {
                problems.add(key, "must start at 1024 or above (was \"" + media.rtpPortRange() + "\")");
            } else if (range.first() % 2 != 0) {
                problems.add(
                        key,
                        "must start on an even port: RTP is even, RTCP the odd port above (was \""
                                + media.rtpPortRange() + "\")");
            } else if (range.size() < 4) {
                problems.add(
                        key, "must hold at least 4 ports, one call's worth (was \"" + media.rtpPortRange() + "\")");
            }
        } catch (IllegalArgumentException e) {
            problems.add(key, e.getMessage() + " (was \"" + media.rtpPortRange() + "\")");
        }
    }

    private static void diagnostics(DiagnosticsSettings diagnostics, Problems problems) {
        problems.range("diagnostics.syslogPort", diagnostics.syslogPort());
        problems.range("diagnostics.retentionDays", diagnostics.retentionDays());
        for (Map.Entry<String, String> level : diagnostics.traceLevels().entrySet()) {
            String key = "diagnostics.traceLevels." + level.getKey();
            if (TraceTopic.fromKey(level.getKey()).isEmpty()) {
                problems.add(
                        key,
                        "unknown tracing topic; topics are "
                                + Arrays.stream(TraceTopic.values())
                                        .map(TraceTopic::key)
                                        .toList());
            } else if (!TraceTopic.LEVELS.contains(level.getValue())) {
                problems.add(key, "must be one of " + TraceTopic.LEVELS + " (was \"" + level.getValue() + "\")");
            }
        }
    }

    private static void admin(AdminSettings admin, Problems problems) {
        problems.length("admin.userName", admin.userName());
        problems.printable("admin.userName", admin.userName());
        if (admin.userName().isEmpty() != admin.passwordHash().isEmpty()) {
            problems.add(
                    admin.userName().isEmpty() ? "admin.userName" : "admin.passwordHash",
                    "user name and password are set together, or both left empty");
        }
        if (!admin.passwordHash().isEmpty()
                && !PASSWORD_HASH.matcher(admin.passwordHash()).matches()) {
            problems.add(
                    "admin.passwordHash",
                    "must be a hash written by sipbridge (pbkdf2-sha256$...); "
                            + "set the password on the Administration page, never in clear here");
        }
    }

    private static void web(WebSettings web, Problems problems) {
        String address = web.bindAddress();
        if (!IPV4.matcher(address).matches() && !IPV6.matcher(address).matches()) {
            problems.add(
                    "web.bindAddress", "must be an IPv4 or IPv6 address such as 127.0.0.1 (was \"" + address + "\")");
        }
        problems.range("web.port", web.port());
    }

    private static void management(ManagementSettings management, Problems problems) {
        String url = management.url();
        if (!url.isEmpty()) {
            try {
                URI uri = new URI(url);
                if (!"https".equalsIgnoreCase(uri.getScheme())) {
                    problems.add(
                            "management.url",
                            "must start with https:// (the documents carry settings and secrets; was \"" + url + "\")");
                } else if (uri.getHost() == null) {
                    problems.add("management.url", "has no host name (was \"" + url + "\")");
                } else if (uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
                    problems.add(
                            "management.url",
                            "must be a plain folder URL: credentials go in management.userName/"
                                    + "password or management.bearerToken, no query or fragment");
                } else if (!uri.getPath().endsWith("/")) {
                    problems.add(
                            "management.url", "must end with / (a folder: <url><bridge id>.json; was \"" + url + "\")");
                }
            } catch (URISyntaxException e) {
                problems.add("management.url", "not a URL: " + e.getReason() + " (was \"" + url + "\")");
            }
        }
        IntRange poll = SettingCatalog.intRange("management.pollSeconds");
        if (!poll.contains(management.pollSeconds())) {
            problems.add(
                    "management.pollSeconds", "must be " + poll.prose() + " (was " + management.pollSeconds() + ")");
        }
        problems.length("management.userName", management.userName());
        problems.printable("management.userName", management.userName());
        if (management.userName().contains(":")) {
            problems.add("management.userName", "must not contain ':' (HTTP Basic)");
        }
        problems.length("management.password", management.password());
        problems.length("management.bearerToken", management.bearerToken());
        problems.printable("management.bearerToken", management.bearerToken());
        if (!management.userName().isEmpty() && !management.bearerToken().isEmpty()) {
            problems.add(
                    "management.bearerToken", "set either management.userName/password or a bearer token, not both");
        }
    }

    /** Two listeners of the same protocol on the same adapter cannot share a port. */
    private static void portClashes(BridgeConfig config, Problems problems) {
        ProtocolSettings protocols = config.protocols();
        BridgeSettings bridge = config.bridge();
        if (protocols.tcp().enabled()
                && protocols.tls().enabled()
                && protocols.tcp().port() == protocols.tls().port()) {
            problems.add(
                    "protocols.tls.port",
                    "clashes with protocols.tcp.port (" + protocols.tcp().port() + ")");
        }
        if (bridge.managedPhoneProvisioning()) {
            int http = bridge.provisioningHttpPort();
            int https = bridge.provisioningHttpsPort();
            if (http == https) {
                problems.add("bridge.provisioningHttpsPort", "clashes with bridge.provisioningHttpPort (" + http + ")");
            }
            for (int sipPort : sipTcpPorts(protocols)) {
                if (http == sipPort) {
                    problems.add("bridge.provisioningHttpPort", "clashes with a SIP TCP/TLS port (" + http + ")");
                }
                if (https == sipPort) {
                    problems.add("bridge.provisioningHttpsPort", "clashes with a SIP TCP/TLS port (" + https + ")");
                }
            }
        }
        if (sipTcpPorts(protocols).contains(bridge.listenPort())) {
            problems.add("bridge.listenPort", "clashes with a SIP TCP/TLS port (" + bridge.listenPort() + ")");
        }
        try {
            PortRange rtp = PortRange.parse(config.media().rtpPortRange());
            if (protocols.udp().enabled() && contains(rtp, protocols.udp().port())) {
                problems.add(
                        "media.rtpPortRange",
                        "includes protocols.udp.port (" + protocols.udp().port() + ")");
            }
            if (config.diagnostics().syslogReceiverEnabled()
                    && contains(rtp, config.diagnostics().syslogPort())) {
                problems.add(
                        "media.rtpPortRange",
                        "includes diagnostics.syslogPort ("
                                + config.diagnostics().syslogPort() + ")");
            }
            if (bridge.managedPhoneProvisioning() && contains(rtp, DHCP_PORT)) {
                problems.add("media.rtpPortRange", "includes the DHCP port 67");
            }
        } catch (IllegalArgumentException e) {
            // already reported by media()
        }
        if (config.diagnostics().syslogReceiverEnabled()
                && protocols.udp().enabled()
                && config.diagnostics().syslogPort() == protocols.udp().port()) {
            problems.add(
                    "diagnostics.syslogPort",
                    "clashes with protocols.udp.port (" + protocols.udp().port() + ")");
        }
    }

    private static List<Integer> sipTcpPorts(ProtocolSettings protocols) {
        List<Integer> ports = new java.util.ArrayList<>();
        if (protocols.tcp().enabled()) {
            ports.add(protocols.tcp().port());
        }
        if (protocols.tls().enabled()) {
            ports.add(protocols.tls().port());
        }
        return ports;
    }

    private static boolean contains(PortRange range, int port) {
        return port >= range.first() && port <= range.last();
    }

    /** The suites the running Java can negotiate, looked up once. */
    private static final class SupportedCipherSuites {
        private static final Set<String> NAMES = load();

        static Set<String> names() {
            return NAMES;
        }

        private static Set<String> load() {
            try {
                return Set.of(
                        SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this Java has no TLS", e);
            }
        }
    }
}
