package org.sipbridge.daemon;

import java.util.function.Function;
import org.sipbridge.contract.network.NetworkAdapter;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.status.DscpMarking;
import org.sipbridge.contract.status.StatusDraft;
import org.sipbridge.contract.status.StatusPart;
import org.sipbridge.contract.status.VpnDscp;
import org.sipbridge.daemon.check.VpnDscpClassifier;

/**
 * The DSCP part of the status: whether this computer marks packets (probed once: it does not change while
 * the bridge runs) and whether the VPN adapter lets the marks reach the internet (looked at on every
 * snapshot: the VPN comes and goes, and may come back as another one); a warning for each that fails.
 */
final class DscpStatus implements StatusPart {

    private final DscpMarking dscp;
    private final Function<NetworkAdapter, VpnDscp> vpnDscp;

    DscpStatus(DscpMarking dscp, Function<NetworkAdapter, VpnDscp> vpnDscp) {
        this.dscp = dscp;
        this.vpnDscp = vpnDscp;
    }

    static DscpStatus ofThisComputer() {
        return new DscpStatus(DscpProbe.probe(), VpnDscpClassifier.ofThisComputer()::classify);
    }

    @Override
    public void addTo(StatusDraft status) {
        if (dscp.state() == DscpMarking.State.UNCONFIRMED) {
            status.add(Reason.warning(
                    "media",
                    "DSCP marking cannot be confirmed: " + dscp.reason(),
                    "Calls work, but routers may not prioritise voice; see docs/install.md (QoS policy)."));
        }
        DscpMarking marking = dscp;
        if (status.vpn().resolved()) {
            VpnDscp acrossVpn = vpnDscp.apply(status.vpn().adapter().get().adapter());
            marking = dscp.withAcrossVpn(acrossVpn);
            // None when the VPN copies the marks or nobody can tell.
            String fix = VpnDscpClassifier.fix(acrossVpn);
            if (fix != null) {
                status.add(Reason.warning("media", acrossVpn.explanation(), fix));
            }
        }
        status.dscpMarking(marking);
    }
}
