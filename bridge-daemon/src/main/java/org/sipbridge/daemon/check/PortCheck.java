package org.sipbridge.daemon.check;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.sipbridge.config.BridgeConfig;

/** The ports the config needs are free, or held by the sipbridge running on this computer. */
final class PortCheck implements Check {

    /** A port the config needs: where, which protocol, and the key that sets it. */
    record Need(String protocol, String address, int port, String key) {}

    enum Outcome {
        FREE,
        IN_USE,
        NOT_PERMITTED
    }

    @Override
    public List<CheckResult> run(CheckContext context) {
        if (!context.adaptersResolved()) {
            return List.of(CheckResult.skip("ports", "Ports", "needs both adapters"));
        }
        List<CheckResult> results = new ArrayList<>();
        for (Need need : needs(context.config(), context.lanAddress(), context.vpnAddress())) {
            results.add(decide(need, tryBind(need), context.sipbridgeRunning()));
        }
        return results;
    }

    /** Every listener the config asks for (pure: from the config and the adapters' addresses). */
    static List<Need> needs(BridgeConfig config, String lan, String vpn) {
        List<Need> needs = new ArrayList<>();
        var protocols = config.protocols();
        if (protocols.udp().enabled()) {
            needs.add(new Need("UDP", lan, protocols.udp().port(), "protocols.udp.port"));
            needs.add(new Need("UDP", vpn, protocols.udp().port(), "protocols.udp.port"));
        }
        if (protocols.tcp().enabled()) {
            needs.add(new Need("TCP", lan, protocols.tcp().port(), "protocols.tcp.port"));
            needs.add(new Need("TCP", vpn, protocols.tcp().port(), "protocols.tcp.port"));
        }
        if (protocols.tls().enabled()) {
            needs.add(new Need("TCP", lan, protocols.tls().port(), "protocols.tls.port"));
            needs.add(new Need("TCP", vpn, protocols.tls().port(), "protocols.tls.port"));
        }
        if (config.bridge().managedPhoneProvisioning()) {
            needs.add(new Need("UDP", "0.0.0.0", 67, "bridge.managedPhoneProvisioning (DHCP)"));
            needs.add(new Need("TCP", lan, config.bridge().provisioningHttpPort(), "bridge.provisioningHttpPort"));
            needs.add(new Need("TCP", lan, config.bridge().provisioningHttpsPort(), "bridge.provisioningHttpsPort"));
        }
        if (config.diagnostics().syslogReceiverEnabled()) {
            needs.add(new Need("UDP", lan, config.diagnostics().syslogPort(), "diagnostics.syslogPort"));
        }
        needs.add(new Need("TCP", config.web().bindAddress(), config.web().port(), "web.port"));
        return needs.stream().distinct().toList(); // LAN and VPN may be one address in a test set-up
    }

    static CheckResult decide(Need need, Outcome outcome, boolean sipbridgeRunning) {
        String id =
                "port:" + need.protocol().toLowerCase(java.util.Locale.ROOT) + ":" + need.address() + ":" + need.port();
        String title = need.protocol() + " " + need.address() + ":" + need.port();
        return switch (outcome) {
            case FREE -> CheckResult.pass(id, title, "free (" + need.key() + ")");
            case IN_USE ->
                sipbridgeRunning
                        ? CheckResult.pass(
                                id, title, "held by the sipbridge running on this computer (" + need.key() + ")")
                        : CheckResult.fail(
                                id,
                                title,
                                "another program uses it (" + need.key() + ")",
                                "Stop that program (`ss -lunpt` shows which), or change " + need.key() + ".");
            case NOT_PERMITTED ->
                CheckResult.fail(
                        id,
                        title,
                        "ports below 1024 need a privilege (" + need.key() + ")",
                        "Run sipbridge as its service (it has CAP_NET_BIND_SERVICE), or grant it: see docs/install.md.");
        };
    }

    private static Outcome tryBind(Need need) {
        try {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getByName(need.address()), need.port());
            if ("UDP".equals(need.protocol())) {
                new DatagramSocket(at).close();
            } else {
                try (ServerSocket socket = new ServerSocket()) {
                    socket.bind(at);
                }
            }
            return Outcome.FREE;
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
            return message.contains("permission") ? Outcome.NOT_PERMITTED : Outcome.IN_USE;
        }
    }
}
