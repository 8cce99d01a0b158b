package org.sipbridge.daemon;

import java.util.function.Supplier;
import org.sipbridge.contract.status.BridgeStatus;

/** {@code GET /metrics}: the daemon's own families from the status and the phones, then each feature's own. */
final class MonitoringFeature {

    private MonitoringFeature() {}

    static BridgeMetrics metrics(
            Supplier<BridgeStatus> status,
            CallsAndPhonesFeature callsAndPhones,
            SipFeature sip,
            MediaFeature media,
            DhcpFeature dhcp,
            ProvisioningFeature provisioning,
            SyslogFeature syslog) {
        return new BridgeMetrics(
                new BridgeMetrics.Sources(
                        status,
                        callsAndPhones.phones()::list,
                        new CertificateExpiries(provisioning::running, sip.service()::running)),
                new BridgeMetrics.Modules(
                        sip.metrics(), media.metrics(), dhcp.metrics(), provisioning.metrics(), syslog.metrics()));
    }
}
