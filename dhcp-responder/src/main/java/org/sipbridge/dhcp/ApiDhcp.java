package org.sipbridge.dhcp;

import java.util.LinkedHashMap;
import java.util.Map;
import org.sipbridge.contract.api.ProvisioningStatus;
import org.sipbridge.dhcp.reply.IgnoreReason;

/**
 * The responder's counters as the API's {@link ProvisioningStatus.Dhcp}: the one place that decides what of
 * them {@code /api/provisioning} shows. Pure.
 */
public final class ApiDhcp {

    private ApiDhcp() {}

    public static ProvisioningStatus.Dhcp of(DhcpStats stats) {
        Map<String, Long> ignored = new LinkedHashMap<>();
        stats.ignored().forEach((reason, count) -> ignored.put(reason.name(), count));
        return new ProvisioningStatus.Dhcp(
                stats.informsSeen(),
                stats.answered(),
                ignored,
                stats.malformed(),
                stats.sendFailures(),
                stats.lastPhone().map(ApiDhcp::lastPhone));
    }

    private static ProvisioningStatus.LastPhone lastPhone(PhoneSighting phone) {
        return new ProvisioningStatus.LastPhone(
                phone.mac(),
                phone.clientAddress(),
                phone.vendorClass(),
                phone.seenAt(),
                phone.ignoredBecause().map(IgnoreReason::name));
    }
}
