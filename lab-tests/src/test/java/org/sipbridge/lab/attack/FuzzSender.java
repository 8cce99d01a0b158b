package org.sipbridge.lab.attack;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends a range of {@link FuzzInputs} to the bridge at a steady rate, from inside one lab namespace
 * (the campaign starts it with {@code ip netns exec}): SIP over UDP and TCP to the SIP port, DHCP to
 * port 67. UDP goes out of a few sockets (several "devices"); TCP over a few connections that are
 * replaced after 50 messages or when the bridge closes them; TCP answers are read and dropped so
 * the bridge never blocks on a full window. JDK only, so it needs nothing but the test classes.
 *
 * <pre>FuzzSender side=lan|vpn bridge=IP self=IP domain=D sipPort=8060 dhcpPort=67 seed=S first=I count=N rate=R [stopAt=EPOCH_MS]</pre>
 * Stops after {@code count} inputs or at {@code stopAt}, whichever comes first. Prints
 * {@code progress sent=...} every 10 % and a final {@code result k=v ...} line.
 */
public final class FuzzSender {

    private static final int UDP_SOCKETS = 8;
    private static final int TCP_CONNECTIONS = 4;
    private static final int MESSAGES_PER_CONNECTION = 50;

    private final InetAddress bridge;
    private final InetAddress self;
    private final int sipPort;
    private final int dhcpPort;
    private final DatagramSocket[] udp = new DatagramSocket[UDP_SOCKETS];
    private final Socket[] tcp = new Socket[TCP_CONNECTIONS];
    private final int[] tcpMessages = new int[TCP_CONNECTIONS];
    private final Map<String, Long> counts = new HashMap<>();

    FuzzSender(InetAddress bridge, InetAddress self, int sipPort, int dhcpPort) {
        this.bridge = bridge;
        this.self = self;
        this.sipPort = sipPort;
        this.dhcpPort = dhcpPort;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            options.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        FuzzInputs.Side side = FuzzInputs.Side.valueOf(options.get("side").toUpperCase(Locale.ROOT));
        SipSeeds.Addresses addresses = new SipSeeds.Addresses(
                options.get("bridge"),
                options.get("self"),
                options.get("self"),
                options.getOrDefault("domain", "sipbridge.lab"));
        FuzzInputs inputs = new FuzzInputs(Long.parseLong(options.get("seed")), side, addresses);
        FuzzSender sender = new FuzzSender(
                InetAddress.getByName(addresses.bridge()),
                InetAddress.getByName(addresses.self()),
                Integer.parseInt(options.getOrDefault("sipPort", "8060")),
                Integer.parseInt(options.getOrDefault("dhcpPort", "67")));
        long first = Long.parseLong(options.getOrDefault("first", "0"));
        long count = Long.parseLong(options.get("count"));
        double rate = Double.parseDouble(options.get("rate"));
        long stopAt = Long.parseLong(options.getOrDefault("stopAt", String.valueOf(Long.MAX_VALUE)));
        long started = System.nanoTime();
        try {
            sender.run(inputs, first, count, rate, stopAt);
        } finally {
            sender.close();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        StringBuilder result = new StringBuilder("result side=" + side.name().toLowerCase(Locale.ROOT) + " seconds="
                + String.format(java.util.Locale.ROOT, "%.1f", seconds));
        sender.counts.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> result.append(' ').append(e.getKey()).append('=').append(e.getValue()));
        System.out.println(result);
    }

    void run(FuzzInputs inputs, long first, long count, double rate, long stopAt) throws InterruptedException {
        long started = System.nanoTime();
        long step = Math.max(1, count / 10);
        for (long i = 0; i < count; i++) {
            if (i % 100 == 0 && System.currentTimeMillis() >= stopAt) {
                System.out.println("stopped at the time limit after " + i + " inputs, last index " + (first + i - 1));
                return;
            }
            long due = started + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 1_000_000) {
                Thread.sleep(wait / 1_000_000);
            }
            send(inputs.get(first + i));
            if ((i + 1) % step == 0) {
                System.out.println("progress sent=" + (i + 1) + " of " + count + " index=" + (first + i));
            }
        }
    }

    private void send(FuzzInputs.Input input) {
        count("sent");
        count(input.kind().name().toLowerCase(Locale.ROOT));
        try {
            switch (input.kind()) {
                case SIP_UDP -> datagram(input, sipPort);
                case DHCP -> datagram(input, dhcpPort);
                case SIP_TCP -> stream(input);
            }
        } catch (IOException e) {
            count(input.kind().name().toLowerCase(Locale.ROOT) + "_errors");
        }
    }

    private void datagram(FuzzInputs.Input input, int port) throws IOException {
        int slot = (int) (input.index() % UDP_SOCKETS);
        if (udp[slot] == null || input.index() % 10_000 == slot) {
            if (udp[slot] != null) {
                udp[slot].close();
            }
            udp[slot] = new DatagramSocket(new InetSocketAddress(self, 0));
        }
        // Answers are never read: a full receive buffer only drops them, it slows down no one.
        udp[slot].send(new DatagramPacket(input.bytes(), input.bytes().length, bridge, port));
    }

    private void stream(FuzzInputs.Input input) throws IOException {
        int slot = (int) (input.index() % TCP_CONNECTIONS);
        if (tcp[slot] == null || tcp[slot].isClosed() || tcpMessages[slot] >= MESSAGES_PER_CONNECTION) {
            closeQuietly(tcp[slot]);
            tcp[slot] = null;
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(self, 0));
            socket.connect(new InetSocketAddress(bridge, sipPort), 2000);
            tcp[slot] = socket;
            tcpMessages[slot] = 0;
            count("tcp_connections");
        }
        tcpMessages[slot]++;
        try {
            tcp[slot].getOutputStream().write(input.bytes());
            InputStream in = tcp[slot].getInputStream();
            byte[] buffer = new byte[65_536];
            while (in.available() > 0 && in.read(buffer) > 0) {
                // answers are not checked; reading them keeps the bridge's writes from blocking
            }
        } catch (IOException e) {
            closeQuietly(tcp[slot]);
            tcp[slot] = null;
            throw e;
        }
    }

    private void count(String key) {
        counts.merge(key, 1L, Long::sum);
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a broken connection
            }
        }
    }

    void close() {
        for (DatagramSocket socket : udp) {
            if (socket != null) {
                socket.close();
            }
        }
        for (Socket socket : tcp) {
            closeQuietly(socket);
        }
    }
}
