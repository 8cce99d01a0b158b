package org.sipbridge.lab.bench;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sipbridge.config.MediaSettings;
import org.sipbridge.contract.media.MediaSession;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.rtp.RtpRelayService;
import org.sipbridge.rtp.relay.PacketTap;

/**
 * The bridge's RTP relay ({@link RtpRelayService}, as the daemon builds it) behind the same ng control
 * protocol rtpengine speaks, so the media benchmark drives both relays with one client: "offer" allocates
 * a session through the {@code MediaRelay} interface and rewrites the offer as the phone's SDP
 * ({@code fromLan}), "answer" rewrites the PBX's answer ({@code fromVpn}), "delete" releases it. This is
 * what the SIP relay does per call, without SIP, so the measured process does nothing but relay media.
 *
 * <pre>java -cp sipbridge.jar:lab-tests/target/test-classes org.sipbridge.lab.bench.BridgeNgRelay
 *   --lan 127.0.0.1 --vpn 127.0.0.2 --ports 20000-29999 --ng 127.0.0.1:2224</pre>
 */
public final class BridgeNgRelay {

    private BridgeNgRelay() {}

    public static void main(String[] args) throws Exception {
        // As the daemon's Main does: no Netty leak sampling on the packet path.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        MediaSettings defaults = MediaSettings.defaults();
        MediaSettings settings = new MediaSettings(
                defaults.rtpQosTaggingEnabled(),
                defaults.rtpQosDscpValue(),
                defaults.rtcpQosTaggingEnabled(),
                defaults.rtcpQosDscpValue(),
                options.get("ports"),
                false,
                defaults.rtpDiagnosticCaptureCipherSuite(),
                defaults.maxStreamsPerCall(),
                defaults.holdTimeoutSec(),
                defaults.vpnSourceLearning());
        // the bench runs phone and PBX on loopback, which the daemon's address policy refuses: allow any
        RtpRelayService relay = new RtpRelayService(
                Ipv4Subnet.parse(options.get("lan") + "/8"),
                Ipv4Subnet.parse(options.get("vpn") + "/8"),
                () -> settings,
                RtpRelayService.DEFAULT_INACTIVITY_TIMEOUT,
                PacketTap.Factory.NONE,
                (sdp, fromLan) -> {});
        relay.start();
        String[] ng = options.get("ng").split(":");
        Map<String, MediaSession> sessions = new HashMap<>();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(ng[0], Integer.parseInt(ng[1])))) {
            System.out.println("bridge ng relay ready on " + options.get("ng") + ", pid "
                    + ProcessHandle.current().pid());
            byte[] buffer = new byte[65536];
            while (true) {
                DatagramPacket request = new DatagramPacket(buffer, buffer.length);
                socket.receive(request);
                byte[] data = Arrays.copyOf(buffer, request.getLength());
                int space = indexOfSpace(data);
                Map<String, Object> reply = new LinkedHashMap<>();
                try {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> command = (Map<String, Object>) Bencode.decode(data, space + 1);
                    String callId = (String) command.get("call-id");
                    switch (String.valueOf(command.get("command"))) {
                        case "ping" -> reply.put("result", "pong");
                        case "offer" -> {
                            MediaSession session = sessions.computeIfAbsent(callId, id -> allocate(relay, id));
                            reply.put("sdp", session.fromLan((String) command.get("sdp")));
                            reply.put("result", "ok");
                        }
                        case "answer" -> {
                            reply.put("sdp", sessions.get(callId).fromVpn((String) command.get("sdp")));
                            reply.put("result", "ok");
                        }
                        case "delete" -> {
                            MediaSession session = sessions.remove(callId);
                            if (session != null) {
                                session.release();
                            }
                            reply.put("result", "ok");
                        }
                        default -> {
                            reply.put("result", "error");
                            reply.put("error-reason", "unknown command");
                        }
                    }
                } catch (Exception e) {
                    reply.put("result", "error");
                    reply.put("error-reason", String.valueOf(e));
                }
                byte[] body = Bencode.encode(reply);
                byte[] response = new byte[space + 1 + body.length];
                System.arraycopy(data, 0, response, 0, space + 1);
                System.arraycopy(body, 0, response, space + 1, body.length);
                socket.send(new DatagramPacket(response, response.length, request.getSocketAddress()));
            }
        }
    }

    private static MediaSession allocate(RtpRelayService relay, String callId) {
        try {
            return relay.allocate(callId);
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static int indexOfSpace(byte[] data) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == ' ') {
                return i;
            }
        }
        throw new IllegalArgumentException(
                "ng request without a cookie: " + new String(data, StandardCharsets.ISO_8859_1));
    }
}
