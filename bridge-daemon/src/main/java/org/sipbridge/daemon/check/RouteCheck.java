package org.sipbridge.daemon.check;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sipbridge.config.ServerAddress;

/**
 * The kernel's route to each PBX server leaves through the VPN adapter (`ip -o route get`):
 * otherwise SIP goes out the home router and never reaches the office.
 */
final class RouteCheck implements Check {

    private static final Pattern DEV = Pattern.compile("\\bdev (\\S+)");

    @Override
    public List<CheckResult> run(CheckContext context) throws Exception {
        List<CheckResult> results = new ArrayList<>();
        if (!System.getProperty("os.name", "")
                .toLowerCase(java.util.Locale.ROOT)
                .contains("linux")) {
            return List.of(CheckResult.skip("route", "Route to the PBX", "only checked on Linux"));
        }
        if (!context.vpn().resolved()) {
            return List.of(CheckResult.skip("route", "Route to the PBX", "needs the VPN adapter"));
        }
        String vpn = context.vpn().adapter().orElseThrow().adapter().name();
        for (String text : context.config().bridge().servers()) {
            ServerAddress server = ServerAddress.parse(text);
            String id = "route:" + server.host();
            String title = "Route to " + server.host();
            Optional<InetAddress> address = Dns.resolve(server.host(), context.timeout());
            if (address.isEmpty()) {
                results.add(CheckResult.skip(id, title, "the name does not resolve (see the server check)"));
                continue;
            }
            Process ip = new ProcessBuilder(
                            "ip", "-o", "route", "get", address.get().getHostAddress())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!ip.waitFor(context.timeout().toMillis(), TimeUnit.MILLISECONDS) || ip.exitValue() != 0) {
                results.add(CheckResult.fail(
                        id,
                        title,
                        "no route to " + address.get().getHostAddress() + ": " + output.trim(),
                        "Connect the VPN; if it is connected, ask IT whether it routes the PBX's network."));
                continue;
            }
            results.add(decide(id, title, address.get().getHostAddress(), device(output), vpn));
        }
        return results;
    }

    /** The outgoing interface in one line of `ip -o route get` output. */
    static Optional<String> device(String ipRouteGet) {
        Matcher m = DEV.matcher(ipRouteGet);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static CheckResult decide(String id, String title, String address, Optional<String> device, String vpnAdapter) {
        if (device.isPresent() && device.get().equals(vpnAdapter)) {
            return CheckResult.pass(id, title, address + " is reached through " + vpnAdapter);
        }
        return CheckResult.fail(
                id,
                title,
                address + " is reached through " + device.orElse("no adapter") + ", not the VPN (" + vpnAdapter + ")",
                "Connect the VPN, or ask IT to route the PBX's network through it (split tunnel).");
    }
}
