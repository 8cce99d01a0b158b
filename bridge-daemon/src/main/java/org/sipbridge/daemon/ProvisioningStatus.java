package org.sipbridge.daemon;

import java.util.List;
import org.sipbridge.dhcp.DhcpStats;
import org.sipbridge.provisioning.transfer.Transfer;

/** {@code GET /api/provisioning}: the DHCP responder's counters and last phone, and recent transfers. */
record ProvisioningStatus(DhcpStats dhcp, List<Transfer> transfers) {
}
