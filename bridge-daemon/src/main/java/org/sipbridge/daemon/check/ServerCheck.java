package org.sipbridge.daemon.check;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.sipbridge.config.ServerAddress;
import org.sipbridge.config.Transport;

/**
 * Each server resolves and answers SIP OPTIONS sent from the VPN address: a burst of probes over
 * UDP gives round-trip time, jitter and loss; over TCP/TLS a connect shows it is reachable.
 */
final class ServerCheck implements Check {

    static final int PROBES = 10;
    private static final int PROBE_TIMEOUT_MS = 1000;
    private static final int PROBE_SPACING_MS = 50;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public List<CheckResult> run(CheckContext context) throws Exception {
        List<CheckResult> results = new ArrayList<>();
        if (context.config().bridge().servers().isEmpty()) {
            return List.of(CheckResult.fail(
                    "server",
                    "PBX server",
                    "bridge.servers is empty",
                    "Enter the PBX's address under Configuration › Bridge."));
        }
        if (!context.vpn().resolved()) {
            return List.of(CheckResult.skip("server", "PBX server", "needs the VPN adapter"));
        }
        InetAddress from = InetAddress.getByName(context.vpnAddress());
        for (String text : context.config().bridge().servers()) {
            ServerAddress server = ServerAddress.parse(text);
            String id = "server:" + server;
            String title = "PBX " + server;
            Optional<InetAddress> address = Dns.resolve(server.host(), context.timeout());
            if (address.isEmpty()) {
                results.add(CheckResult.fail(
                        id,
                        title,
                        server.host() + " does not resolve",
                        "Check the name in bridge.servers; the VPN's DNS must know it (or use the address)."));
                continue;
            }
            InetSocketAddress target = new InetSocketAddress(address.get(), server.port());
            Transport transport = context.config().bridge().serverTransport();
            results.add(
                    transport == Transport.UDP
                            ? probeUdp(from, target, server).judge(id, title)
                            : connect(from, target, transport, id, title, context));
        }
        return results;
    }

    private static ProbeStats probeUdp(InetAddress from, InetSocketAddress target, ServerAddress server)
            throws IOException {
        List<Long> rtts = new ArrayList<>();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(from, 0))) {
            socket.setSoTimeout(PROBE_TIMEOUT_MS);
            for (int i = 1; i <= PROBES; i++) {
                String branch = "z9hG4bK-check-" + HexFormat.of().formatHex(randomBytes());
                byte[] request = options(server, from.getHostAddress(), socket.getLocalPort(), branch, i);
                long sent = System.nanoTime();
                socket.send(new DatagramPacket(request, request.length, target));
                awaitAnswer(socket, branch, sent).ifPresent(rtts::add);
                sleep(PROBE_SPACING_MS);
            }
        }
        return new ProbeStats(PROBES, rtts);
    }

    /** The round trip in µs of the answer to {@code branch}, skipping strays, until the timeout. */
    private static Optional<Long> awaitAnswer(DatagramSocket socket, String branch, long sentNanos) throws IOException {
        byte[] buffer = new byte[4096];
        long deadline = sentNanos + PROBE_TIMEOUT_MS * 1_000_000L;
        while (System.nanoTime() < deadline) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            }
            String text = new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8);
            if (text.startsWith("SIP/2.0 ") && text.contains(branch)) {
                return Optional.of((System.nanoTime() - sentNanos) / 1000);
            }
        }
        return Optional.empty();
    }

    static byte[] options(ServerAddress server, String from, int port, String branch, int cseq) {
        String host = server.host() + ":" + server.port();
        return ("OPTIONS sip:" + host + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP " + from + ":" + port + ";branch=" + branch + ";rport\r\n"
                        + "Max-Forwards: 70\r\n"
                        + "From: <sip:sipbridge-check@" + from + ">;tag=" + branch.substring(branch.length() - 8)
                        + "\r\n"
                        + "To: <sip:" + host + ">\r\n"
                        + "Call-ID: " + branch + "@" + from + "\r\n"
                        + "CSeq: " + cseq + " OPTIONS\r\n"
                        + "Accept: application/sdp\r\n"
                        + "Content-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static CheckResult connect(
            InetAddress from,
            InetSocketAddress target,
            Transport transport,
            String id,
            String title,
            CheckContext context) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(target, (int) context.timeout().toMillis());
            long ms = (System.nanoTime() - start) / 1_000_000;
            return CheckResult.pass(
                    id,
                    title,
                    "accepts " + transport.key().toUpperCase(java.util.Locale.ROOT)
                            + " connections from the VPN (connect " + ms
                            + " ms; RTT, jitter and loss are measured over UDP only)");
        } catch (IOException e) {
            return CheckResult.fail(
                    id,
                    title,
                    "cannot connect over " + transport.key() + ": " + e.getMessage(),
                    "Check that the VPN is connected and bridge.serverTransport matches what the PBX offers.");
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static void sleep(int ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
