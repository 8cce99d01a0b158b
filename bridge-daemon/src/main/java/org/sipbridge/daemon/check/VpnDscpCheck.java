package org.sipbridge.daemon.check;

import java.util.List;
import org.sipbridge.contract.status.VpnDscp;

/** Whether the VPN adapter lets the bridge's DSCP marks reach the internet ({@link VpnDscpClassifier}). */
final class VpnDscpCheck implements Check {

    static final String ID = "vpn-dscp";
    static final String TITLE = "DSCP beyond the VPN";

    private final VpnDscpClassifier classifier;

    VpnDscpCheck(VpnDscpClassifier classifier) {
        this.classifier = classifier;
    }

    @Override
    public List<CheckResult> run(CheckContext context) {
        if (context.vpn().adapter().isEmpty()) {
            return List.of(CheckResult.skip(ID, TITLE, "no VPN adapter to look at"));
        }
        VpnDscp dscp = classifier.classify(context.vpn().adapter().get().adapter());
        String fix = VpnDscpClassifier.fix(dscp);
        return List.of(
                fix == null
                        ? CheckResult.pass(ID, TITLE, dscp.explanation())
                        : CheckResult.warn(ID, TITLE, dscp.explanation(), fix));
    }
}
