package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provisioning proxy attacked from the lab (issue #14), with the packaged daemon relaying to nginx,
 * the office provisioning server, whose base path is {@code /polycom/} and which also serves
 * {@code /secret/x} outside it:
 * <ul>
 *   <li>every request target of the traversal corpus, from the phone's namespace over HTTP and HTTPS,
 *       gets 400 and leaves no line in nginx's access log, while the phone's files still load;</li>
 *   <li>a second LAN host opens 20,000 TCP connections to 8088 and holds them: the bridge keeps at
 *       most 32 of them, the phone still provisions and the web UI answers;</li>
 *   <li>a host on the VPN side that routes to the bridge's LAN address is refused on 8088 and 8089.</li>
 * </ul>
 */
class ProvisioningAttackLabIT {

    private static final String MAC_CFG = "0004f2aabbcc.cfg";
    private static final Path CORPUS =
            LabNetwork.REPO.resolve("provisioning-proxy/src/test/resources/traversal-corpus.txt");
    private static final String ATTACKER_IP = "198.18.1.20";

    /** Sends each request target of a file raw (no client-side normalisation); prints "status TAB target". */
    private static final String RAW_CLIENT = """
            import socket, ssl, sys
            host, port, corpus, tls = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4] == 'tls'
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            for target in open(corpus, encoding='ascii').read().splitlines():
                if not target or target.startswith('#'):
                    continue
                s = socket.create_connection((host, port), timeout=10)
                if tls:
                    s = context.wrap_socket(s)
                s.sendall(b'GET ' + target.encode('ascii') + b' HTTP/1.1\\r\\nHost: ' + host.encode()
                          + b'\\r\\nConnection: close\\r\\n\\r\\n')
                data = b''
                while True:
                    try:
                        chunk = s.recv(65536)
                    except OSError:
                        break
                    if not chunk:
                        break
                    data += chunk
                s.close()
                line = data.split(b'\\r\\n', 1)[0].decode('latin-1')
                print(line.split(' ')[1] if line.startswith('HTTP/') else 'none', target, sep='\\t', flush=True)
            """;

    /** Opens {count} connections and holds them; after {hold} s reports how many the bridge kept open. */
    private static final String FLOOD = """
            import resource, socket, sys, time
            host, port, count, hold = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            held, connected, failed = [], 0, 0

            def prune():
                # Drops the connections the bridge has closed (EOF or reset), keeps those still open.
                global held
                alive = []
                for s in held:
                    s.setblocking(False)
                    try:
                        if s.recv(1) == b'':
                            s.close()
                        else:
                            alive.append(s)
                    except BlockingIOError:
                        alive.append(s)
                    except OSError:
                        s.close()
                held = alive

            for i in range(count):
                try:
                    s = socket.socket()
                except OSError:
                    prune()  # out of descriptors here: free those the bridge closed
                    try:
                        s = socket.socket()
                    except OSError:
                        print('out of descriptors: the bridge holds them all', flush=True)
                        break
                s.settimeout(5)
                try:
                    s.connect((host, port))
                    held.append(s)
                    connected += 1
                except OSError:
                    failed += 1
                    s.close()
            print('connected', connected, 'failed', failed, flush=True)
            print('HOLDING', flush=True)
            time.sleep(hold)
            prune()
            print('still-open', len(held), flush=True)
            print('DONE', flush=True)
            time.sleep(600)
            """;

    private static LabNetwork lab;
    private static Nginx upstream;
    private static Path docroot;
    private static String attackerNs;

    @TempDir
    static Path dir;

    private BridgeDaemon daemon;

    @BeforeAll
    static void startLab() throws Exception {
        lab = LabNetwork.up("pa" + ProcessHandle.current().pid() % 100000);
        docroot = Files.createDirectories(dir.resolve("docroot"));
        Files.createDirectories(docroot.resolve("polycom"));
        Files.createDirectories(docroot.resolve("secret"));
        Files.writeString(docroot.resolve("polycom/" + MAC_CFG), "<polycomConfig reg.1.address=\"1001\"/>\n");
        Files.writeString(
                docroot.resolve("polycom/000000000000.cfg"), "<APPLICATION CONFIG_FILES=\"" + MAC_CFG + "\"/>\n");
        Files.writeString(docroot.resolve("secret/x"), "the office's secret\n");
        Path nginxDir = dir.resolve("nginx");
        Nginx.selfSignedCertificate(nginxDir, "/CN=provisioning.lab", lab.fact("PBX_IP"));
        upstream = Nginx.start(lab, nginxDir, docroot, lab.fact("PBX_IP"));
        Files.writeString(dir.resolve("raw-client.py"), RAW_CLIENT);
        Files.writeString(dir.resolve("flood.py"), FLOOD);
        attackerNs = addSecondLanHost();
    }

    @AfterAll
    static void stopLab() throws Exception {
        if (attackerNs != null) {
            LabNetwork.run(List.of("ip", "netns", "delete", attackerNs), 30);
        }
        if (upstream != null) {
            upstream.close();
        }
        if (lab != null) {
            lab.close();
            assertEquals(List.of(), lab.remainingNamespaces(), "namespaces left behind");
        }
    }

    @AfterEach
    void stopDaemon() throws Exception {
        if (daemon != null) {
            daemon.close();
            daemon = null;
        }
    }

    @Test
    void noTraversalVariantReachesNginxAndTheFilesStillLoad() throws Exception {
        daemon = BridgeDaemon.start(lab, dir.resolve("bridge-traversal"), config());
        // The attack works against nginx itself: the secret is there to be found, outside the base path.
        LabNetwork.Result direct = lab.exec(
                "bridge",
                "curl",
                "-sS",
                "--path-as-is",
                "http://" + lab.fact("PBX_IP") + ":" + Nginx.HTTP_PORT + "/polycom/..%2fsecret/x");
        assertTrue(direct.output().contains("secret"), "nginx normalises ..%2f itself: " + direct.output());
        int logged = upstream.accessLog().size();

        List<String> notRefused = new ArrayList<>();
        int variants = 0;
        for (String scheme : List.of("plain", "tls")) {
            int port = scheme.equals("tls") ? 8089 : 8088;
            LabNetwork.Result result = LabNetwork.run(
                    lab.inHost(
                            "phone",
                            List.of(
                                    "/usr/bin/python3",
                                    dir.resolve("raw-client.py").toString(),
                                    lab.fact("BRIDGE_LAN_IP"),
                                    String.valueOf(port),
                                    CORPUS.toString(),
                                    scheme)),
                    300);
            assertEquals(0, result.exitCode(), result.output());
            for (String line : result.output().lines().toList()) {
                variants++;
                if (!line.startsWith("400\t")) {
                    notRefused.add(port + " " + line);
                }
            }
        }
        List<String> reachedNginx =
                upstream.accessLog().subList(logged, upstream.accessLog().size());
        System.out.printf(
                "[provisioning-attack] %d traversal requests (corpus x HTTP/HTTPS): %d not refused with 400,"
                        + " %d lines in nginx's access log%n",
                variants, notRefused.size(), reachedNginx.size());
        assertTrue(variants >= 100, "variants sent: " + variants);
        assertEquals(List.of(), notRefused, "variants not refused with 400");
        assertEquals(List.of(), reachedNginx, "nothing of the attack may reach nginx");

        for (String file : List.of("000000000000.cfg", MAC_CFG)) {
            LabNetwork.Result fetch = phoneCurl("http://" + lab.fact("BRIDGE_LAN_IP") + ":8088/" + file);
            assertEquals(Files.readString(docroot.resolve("polycom/" + file)), fetch.output(), file);
        }
        String last = upstream.accessLog().get(upstream.accessLog().size() - 1);
        assertTrue(last.contains("GET /polycom/" + MAC_CFG + " "), last);
    }

    @Test
    void anIdleConnectionFloodFromASecondLanHostLeavesThePhoneAndTheWebUiWorking() throws Exception {
        daemon = BridgeDaemon.start(lab, dir.resolve("bridge-flood"), config());
        long daemonPid = daemon.process().pid();
        int fdsBefore = openDescriptors(daemonPid);
        LabProcess flood = LabProcess.start(
                List.of(
                        "ip",
                        "netns",
                        "exec",
                        attackerNs,
                        "/usr/bin/python3",
                        dir.resolve("flood.py").toString(),
                        lab.fact("BRIDGE_LAN_IP"),
                        "8088",
                        "20000",
                        "10"),
                dir,
                Map.of());
        try {
            flood.awaitOutput("HOLDING", Duration.ofSeconds(240));
            int fdsDuring = openDescriptors(daemonPid);
            LabNetwork.Result fetch = phoneCurl("http://" + lab.fact("BRIDGE_LAN_IP") + ":8088/" + MAC_CFG);
            assertEquals(
                    Files.readString(docroot.resolve("polycom/" + MAC_CFG)), fetch.output(), "the phone provisions");
            LabNetwork.Result tls = phoneCurl("https://" + lab.fact("BRIDGE_LAN_IP") + ":8089/" + MAC_CFG);
            assertEquals(Files.readString(docroot.resolve("polycom/" + MAC_CFG)), tls.output(), "and over HTTPS");
            assertNotEquals("", daemon.status().path("state").asText(), "the web UI answers");
            flood.awaitOutput("DONE", Duration.ofSeconds(60));
            String report = flood.output();
            int stillOpen = Integer.parseInt(report.lines()
                    .filter(l -> l.startsWith("still-open "))
                    .findFirst()
                    .orElseThrow()
                    .split(" ")[1]);
            System.out.printf(
                    "[provisioning-attack] flood of 20000 connections from %s: %s; held open by the bridge"
                            + " after 10 s: %d; daemon descriptors %d before, %d during%n",
                    ATTACKER_IP,
                    report.lines()
                            .filter(l -> l.startsWith("connected"))
                            .findFirst()
                            .orElse("?"),
                    stillOpen,
                    fdsBefore,
                    fdsDuring);
            assertTrue(stillOpen <= 32, "the bridge kept " + stillOpen + " connections from one address open");
            assertTrue(fdsDuring < fdsBefore + 100, "descriptors " + fdsBefore + " -> " + fdsDuring);
            assertTrue(
                    daemon.process().output().contains("refused a connection from " + ATTACKER_IP),
                    "the refusals are logged");
        } finally {
            flood.close();
        }
    }

    @Test
    void aVpnHostRoutingToTheLanAddressIsRefused() throws Exception {
        daemon = BridgeDaemon.start(lab, dir.resolve("bridge-vpn"), config());
        String lanIp = lab.fact("BRIDGE_LAN_IP");
        // Linux accepts packets for any local address on any interface: the PBX side routes to the LAN address.
        assertEquals(
                0,
                lab.exec("pbx", "ip", "route", "replace", lanIp + "/32", "dev", "eth0")
                        .exitCode());
        try {
            int logged = upstream.accessLog().size();
            for (String url :
                    List.of("http://" + lanIp + ":8088/" + MAC_CFG, "https://" + lanIp + ":8089/" + MAC_CFG)) {
                LabNetwork.Result fetch = lab.exec(
                        "pbx", "curl", "-sS", "-k", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}", url);
                System.out.println("[provisioning-attack] from the VPN side " + url + ": curl exit " + fetch.exitCode()
                        + ", " + fetch.output().trim());
                assertNotEquals(0, fetch.exitCode(), "the connection must be closed, not answered: " + fetch.output());
                assertTrue(fetch.output().contains("000"), "no HTTP status: " + fetch.output());
            }
            assertEquals(logged, upstream.accessLog().size(), "nothing reached nginx");
            assertTrue(
                    daemon.process()
                            .output()
                            .contains("refused a connection from " + lab.fact("PBX_IP") + ": not from the LAN subnet"),
                    daemon.process().output());
            // The phone on the LAN is unaffected.
            assertEquals(
                    Files.readString(docroot.resolve("polycom/" + MAC_CFG)),
                    phoneCurl("http://" + lanIp + ":8088/" + MAC_CFG).output());
        } finally {
            lab.exec("pbx", "ip", "route", "del", lanIp + "/32", "dev", "eth0");
        }
    }

    // ---------------------------------------------------------------------------------------- helpers

    /** The files must arrive as nginx serves them, so the Polycom injection (ZeroTouchLabIT) is off. */
    private static String config() {
        return """
                {"bridge": {"servers": ["%s:5060"], "lanAdapter": "eth0", "vpnAdapter": "tun0",
                            "managedPhoneProvisioning": true, "provisioningHttpPort": 8088,
                            "provisioningHttpsPort": 8089, "provisioningUpstream": "%s",
                            "phoneConfigInjection": false}}
                """.formatted(lab.fact("PBX_IP"), upstream.httpUrl() + "polycom/");
    }

    /**
     * A second device on the home LAN: its own namespace with {@value #ATTACKER_IP}, cabled to the bridge
     * namespace by a veth pair of its own (the lab's LAN is a point-to-point veth, so the bridge side gets a
     * host route instead of a second address; to both ends it is the LAN subnet).
     */
    private static String addSecondLanHost() throws Exception {
        String ns = lab.prefix() + "-lan2";
        String bridgeNs = lab.namespace("bridge");
        String hostSide = lab.prefix() + "-a-b";
        String attackerSide = lab.prefix() + "-a-p";
        List<List<String>> commands = List.of(
                List.of("ip", "netns", "add", ns),
                List.of("ip", "-n", ns, "link", "set", "lo", "up"),
                List.of("ip", "link", "add", hostSide, "type", "veth", "peer", "name", attackerSide),
                List.of("ip", "link", "set", hostSide, "netns", bridgeNs),
                List.of("ip", "link", "set", attackerSide, "netns", ns),
                List.of("ip", "-n", bridgeNs, "link", "set", hostSide, "name", "lan2"),
                List.of("ip", "-n", ns, "link", "set", attackerSide, "name", "eth0"),
                List.of("ip", "-n", ns, "addr", "add", ATTACKER_IP + "/24", "dev", "eth0"),
                List.of("ip", "-n", bridgeNs, "link", "set", "lan2", "up"),
                List.of("ip", "-n", ns, "link", "set", "eth0", "up"),
                List.of("ip", "-n", bridgeNs, "route", "add", ATTACKER_IP + "/32", "dev", "lan2"));
        for (List<String> command : commands) {
            LabNetwork.Result result = LabNetwork.run(command, 30);
            if (result.exitCode() != 0) {
                throw new IllegalStateException(command + " failed: " + result.output());
            }
        }
        LabNetwork.Result ping = LabNetwork.run(
                List.of("ip", "netns", "exec", ns, "ping", "-n", "-c1", "-W2", lab.fact("BRIDGE_LAN_IP")), 30);
        if (ping.exitCode() != 0) {
            throw new IllegalStateException("the second LAN host cannot reach the bridge: " + ping.output());
        }
        return ns;
    }

    private static LabNetwork.Result phoneCurl(String url) throws Exception {
        LabNetwork.Result result = LabNetwork.run(
                lab.inHost("phone", List.of("curl", "-sS", "-k", "--fail", "--max-time", "20", url)), 60);
        assertEquals(0, result.exitCode(), url + ": " + result.output());
        return result;
    }

    private static int openDescriptors(long pid) throws Exception {
        try (var entries = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return (int) entries.count();
        }
    }
}
