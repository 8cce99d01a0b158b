package org.sipbridge.daemon.check;

import java.util.List;
import org.sipbridge.contract.network.AdapterResolver;

/** The LAN and VPN subnets must not overlap, or the computer cannot tell where the phone is. */
final class SubnetOverlapCheck implements Check {

    static final String ID = "subnet-overlap";
    private static final String TITLE = "LAN and VPN subnets apart";

    @Override
    public List<CheckResult> run(CheckContext context) {
        if (!context.adaptersResolved()) {
            return List.of(CheckResult.skip(ID, TITLE, "needs both adapters"));
        }
        var lan = context.lan().adapter().orElseThrow();
        var vpn = context.vpn().adapter().orElseThrow();
        return List.of(AdapterResolver.subnetOverlap(lan, vpn)
                .map(problem -> CheckResult.fail(
                        ID,
                        TITLE,
                        problem,
                        "Give the home network another subnet (most routers: LAN settings, e.g. 192.168.50.0/24), "
                                + "or ask IT for a VPN that does not route the home subnet."))
                .orElseGet(() -> CheckResult.pass(
                        ID,
                        TITLE,
                        lan.address().networkText() + " and " + vpn.address().networkText() + " do not overlap")));
    }
}
