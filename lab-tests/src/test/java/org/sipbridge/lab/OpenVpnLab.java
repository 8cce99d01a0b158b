package org.sipbridge.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The OpenVPN lab (lab/openvpn): the namespaces of lab/openvpn/topology.sh, the OpenVPN server in the
 * gateway namespace and the OpenVPN client in the bridge namespace, which creates tun0 with the
 * address the server pushes. The bridge, Kamailio and SIPp run on {@link #network()} exactly as in the
 * veth lab (same host names phone, bridge, pbx; same facts). Closing it stops OpenVPN and removes
 * the namespaces.
 */
final class OpenVpnLab implements AutoCloseable {

    private static final Path SCRIPTS = LabNetwork.REPO.resolve("lab/openvpn");
    private static final String READY = "Initialization Sequence Completed";

    private final LabNetwork network;
    private final Path dir;
    private final LabProcess server;
    private LabProcess client;
    private int clientRuns;

    private OpenVpnLab(LabNetwork network, Path dir, LabProcess server) {
        this.network = network;
        this.dir = dir;
        this.server = server;
    }

    /** Namespaces under the prefix {@code letters} + pid, the server up and the client connected ({@code passtos} or not). */
    static OpenVpnLab up(String letters, Path dir, boolean passtos) throws Exception {
        LabNetwork network = LabNetwork.up(SCRIPTS.resolve("topology.sh"), letters + ProcessHandle.current().pid() % 100000);
        try {
            LabProcess server = network.start("gw", dir.resolve("server"), Map.of(),
                    SCRIPTS.resolve("server.sh").toString(), dir.resolve("server").toString());
            server.awaitOutput(READY, Duration.ofSeconds(30));
            OpenVpnLab lab = new OpenVpnLab(network, dir, server);
            lab.startClient(passtos);
            return lab;
        } catch (Exception | AssertionError e) {
            network.close();
            throw e;
        }
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
        client = network.start("bridge", work, passtos ? Map.of("PASSTOS", "1") : Map.of(),
                SCRIPTS.resolve("client.sh").toString(), work.toString(), dir.resolve("server/pki").toString());
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
        return "--- openvpn server\n" + server.output() + "\n--- openvpn client\n" + (client == null ? "" : client.output());
    }

    @Override
    public void close() throws Exception {
        if (client != null) {
            client.close();
        }
        server.close();
        network.close();
    }
}
