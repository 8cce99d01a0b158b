package org.sipbridge.daemon;

import java.util.List;
import org.sipbridge.contract.api.ProvisioningStatus;
import org.sipbridge.dhcp.ApiDhcp;
import org.sipbridge.dhcp.DhcpStats;
import org.sipbridge.provisioning.ApiProvisioning;
import org.sipbridge.provisioning.inject.PhoneConfigStatus;
import org.sipbridge.provisioning.transfer.Transfer;

/**
 * {@code GET /api/provisioning} from the DHCP responder's counters, the proxy's recent transfers and the
 * Polycom configuration injection, each mapped by its own module.
 */
final class ProvisioningApi {

    private ProvisioningApi() {}

    static ProvisioningStatus of(DhcpStats dhcp, List<Transfer> transfers, PhoneConfigStatus phoneConfig) {
        return new ProvisioningStatus(
                ApiDhcp.of(dhcp),
                transfers.stream().map(ApiProvisioning::transfer).toList(),
                ApiProvisioning.phoneConfig(phoneConfig));
    }
}
