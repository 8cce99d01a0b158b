package org.sipbridge.provisioning;

import org.sipbridge.contract.api.ProvisioningStatus;
import org.sipbridge.provisioning.inject.PhoneConfigStatus;
import org.sipbridge.provisioning.inject.ProvisionedPhones;
import org.sipbridge.provisioning.transfer.Transfer;

/**
 * The proxy's transfers and injection state as the API's {@link ProvisioningStatus} parts: the one place that
 * decides what of them {@code /api/provisioning} shows. Pure.
 */
public final class ApiProvisioning {

    private ApiProvisioning() {}

    public static ProvisioningStatus.Transfer transfer(Transfer transfer) {
        return new ProvisioningStatus.Transfer(
                transfer.method(),
                transfer.path(),
                transfer.status(),
                transfer.direction().name(),
                transfer.bytes(),
                transfer.totalBytes(),
                transfer.bytesPerSecond(),
                transfer.startedAt(),
                transfer.duration(),
                transfer.finished());
    }

    public static ProvisioningStatus.PhoneConfig phoneConfig(PhoneConfigStatus status) {
        return new ProvisioningStatus.PhoneConfig(
                status.enabled(),
                status.outboundProxy(),
                status.transport(),
                status.syslogServer(),
                status.phones().stream().map(ApiProvisioning::served).toList(),
                status.mustProvision().stream().map(ApiProvisioning::served).toList());
    }

    private static ProvisioningStatus.ServedPhone served(ProvisionedPhones.Served phone) {
        return new ProvisioningStatus.ServedPhone(phone.mac(), phone.bridgeAddress(), phone.at());
    }
}
