package org.sipbridge.daemon.check;

import java.util.ArrayList;
import java.util.List;
import org.sipbridge.contract.network.AdapterResolver;

/** The LAN and VPN adapters of the config exist, are up and have an IPv4 address. */
final class AdapterCheck implements Check {

    @Override
    public List<CheckResult> run(CheckContext context) {
        List<CheckResult> results = new ArrayList<>();
        results.add(
                decide(
                        "lan-adapter",
                        "LAN adapter",
                        "bridge.lanAdapter",
                        context.lan(),
                        "Choose the adapter of the home network (the one the phone is plugged into) under Configuration › Bridge."));
        results.add(decide(
                "vpn-adapter",
                "VPN adapter",
                "bridge.vpnAdapter",
                context.vpn(),
                "Connect the VPN, or choose its adapter under Configuration › Bridge."));
        return results;
    }

    static CheckResult decide(String id, String title, String key, AdapterResolver.Resolution resolution, String fix) {
        if (resolution.resolved()) {
            var adapter = resolution.adapter().orElseThrow();
            return CheckResult.pass(id, title, adapter.adapter().name() + " is up with " + adapter.address());
        }
        return CheckResult.fail(id, title, key + " \"" + resolution.spec() + "\": " + resolution.problem(), fix);
    }
}
