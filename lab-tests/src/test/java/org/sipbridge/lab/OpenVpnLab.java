package org.sipbridge.lab;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.sipbridge.lab.impair.ImpairmentRelay;

/**
 * The OpenVPN lab (lab/openvpn): the namespaces of lab/openvpn/topology.sh, the OpenVPN server in the
 * gateway namespace and the OpenVPN client in the bridge namespace, which creates tun0 with the
 * address the server pushes. The bridge, Kamailio and SIPp run on {@link #network()} exactly as in the
 * veth lab (same host names phone, bridge, pbx; same facts). Closing it stops OpenVPN and removes
 * the namespaces. With an {@link Impairment} the client reaches the server through an
 * {@link ImpairmentRelay} in the gateway namespace (the internet link has no netem), which drops and
 * delays the server's packets toward the client.
 */
final class OpenVpnLab implements AutoCloseable {

    private static final Path SCRIPTS = LabNetwork.REPO.resolve("lab/openvpn");
    private static final String READY = "Initialization Sequence Completed";
    private static final int RELAY_PORT = 1195;

    /** What the impairment relay does to the tunnel's packets from the server to the client. */
    record Impairment(double lossPercent, double delayMs, double jitterMs, long seed) {}

    private final LabNetwork network;
    private final Path dir;
    private final LabProcess server;
    private final LabProcess relay;
    private LabProcess client;
    private int clientRuns;

    private OpenVpnLab(LabNetwork network, Path dir, LabProcess server, LabProcess relay) {
        this.network = network;
        this.dir = dir;
        this.server = server;
        this.relay = relay;
    }

    /** Namespaces under the prefix {@code letters} + pid, the server up and the client connected ({@code passtos} or not). */
    static OpenVpnLab up(String letters, Path dir, boolean passtos) throws Exception {
        return up(letters, dir, passtos, null);
    }

    /** As {@link #up(String, Path, boolean)}, through an impairment relay when {@code impairment} is not null. */
    static OpenVpnLab up(String letters, Path dir, boolean passtos, Impairment impairment) throws Exception {
        LabNetwork network = LabNetwork.up(
                SCRIPTS.resolve("topology.sh"),
                letters + ProcessHandle.current().pid() % 100000);
        try {
            LabProcess server = network.start(
                    "gw",
                    dir.resolve("server"),
                    Map.of(),
                    SCRIPTS.resolve("server.sh").toString(),
                    dir.resolve("server").toString());
            server.awaitOutput(READY, Duration.ofSeconds(30));
            OpenVpnLab lab = new OpenVpnLab(
                    network, dir, server, impairment == null ? null : startRelay(network, dir, impairment));
            lab.startClient(passtos);
            return lab;
        } catch (Exception | AssertionError e) {
            network.close();
            throw e;
        }
    }

    private static LabProcess startRelay(LabNetwork network, Path dir, Impairment impairment) throws Exception {
        String classes = Path.of(ImpairmentRelay.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
        String gateway = network.fact("GW_INET_IP");
        LabProcess relay = network.start(
                "gw",
                dir.resolve("impair"),
                Map.of(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classes,
                ImpairmentRelay.class.getName(),
                "--listen",
                gateway + ":" + RELAY_PORT,
                "--target",
                gateway + ":1194",
                "--loss",
                String.valueOf(impairment.lossPercent()),
                "--delay-ms",
                String.valueOf(impairment.delayMs()),
                "--jitter-ms",
                String.valueOf(impairment.jitterMs()),
                "--seed",
                String.valueOf(impairment.seed()),
                "--stats",
                dir.resolve("impairment.stats").toString());
        relay.awaitOutput("impairment relay listening", Duration.ofSeconds(20));
        return relay;
    }

    /**
     * The impairment relay's counters (received, dropped, forwarded: the tunnel's packets from the server;
     * its RTP figures mean nothing here, the packets are encrypted).
     */
    Properties impairmentStats() throws IOException {
        Properties stats = new Properties();
        stats.load(new StringReader(Files.readString(dir.resolve("impairment.stats"))));
        return stats;
    }

    LabNetwork network() {
        return network;
    }

    String fact(String key) {
        return network.fact(key);
    }

    /** Connects the client; returns once tun0 has the pushed address (epoch milliseconds of that moment). */
    long startClient(boolean passtos) throws Exception {
        Path work = dir.resolve("client-" + ++clientRuns);
        Map<String, String> env = new HashMap<>();
        if (passtos) {
            env.put("PASSTOS", "1");
        }
        if (relay != null) {
            env.put("SERVER_PORT", String.valueOf(RELAY_PORT));
        }
        client = network.start(
                "bridge",
                work,
                env,
                SCRIPTS.resolve("client.sh").toString(),
                work.toString(),
                dir.resolve("server/pki").toString());
        client.awaitOutput(READY, Duration.ofSeconds(30));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (tunnelAddress().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("tun0 has no address after the client connected:\n" + client.output());
            }
            Thread.sleep(20);
        }
        return System.currentTimeMillis();
    }

    /** Stops the client as a dropped VPN does: tun0 disappears from the bridge namespace. */
    void stopClient() throws Exception {
        client.stop(Duration.ofSeconds(5));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!tunnelAddress().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("tun0 is still there after the client stopped");
            }
            Thread.sleep(20);
        }
    }

    /** The address the server pushes on the client's next connection (its client-config-dir entry). */
    void pushAddress(String ip) throws IOException {
        Files.writeString(dir.resolve("server/ccd/bridge"), "ifconfig-push " + ip + " 255.255.255.0\n");
    }

    /** tun0's IPv4 address in the bridge namespace, or "" when there is no tun0. */
    String tunnelAddress() throws IOException, InterruptedException {
        LabNetwork.Result result = network.exec("bridge", "ip", "-4", "-o", "addr", "show", "dev", fact("VPN_IF"));
        String[] words = result.output().trim().split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("inet")) {
                return words[i + 1].replaceFirst("/.*", "");
            }
        }
        return "";
    }

    /** What OpenVPN's client and server printed, for failure messages. */
    String logs() {
        return "--- openvpn server\n" + server.output() + "\n--- openvpn client\n"
                + (client == null ? "" : client.output());
    }

    @Override
    public void close() throws Exception {
        if (client != null) {
            client.close();
        }
        server.close();
        if (relay != null) {
            relay.close();
        }
        network.close();
    }
}
