package org.sipbridge.daemon;

import org.sipbridge.contract.metrics.MetricSource;
import org.sipbridge.daemon.phones.PhoneBook;
import org.sipbridge.dhcp.DhcpMetrics;
import org.sipbridge.dhcp.DhcpResponderService;
import org.sipbridge.dhcp.DhcpStats;

/** DHCP: the responder that tells phones where to provision, telling the phone book about each DHCPINFORM. */
final class DhcpFeature {

    private final DhcpResponderService responder;

    DhcpFeature(DaemonContext context, PhoneBook phoneBook) {
        responder = new DhcpResponderService(context.store()::current).onInform(phoneBook::informed);
        context.store().subscribe(c -> c.bridge().managedPhoneProvisioning(), on -> responder.applyConfig());
        // The DHCP socket is bound to the LAN adapter's device: follow it when bridge.lanAdapter changes.
        context.store().subscribe(c -> c.bridge().lanAdapter(), adapter -> responder.applyConfig());
    }

    DhcpResponderService service() {
        return responder;
    }

    DhcpStats stats() {
        return responder.stats();
    }

    MetricSource metrics() {
        return new DhcpMetrics(responder::stats);
    }
}
