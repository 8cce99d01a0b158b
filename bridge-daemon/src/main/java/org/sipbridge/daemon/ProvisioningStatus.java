package org.sipbridge.daemon;

import java.util.List;
import org.sipbridge.dhcp.DhcpStats;
import org.sipbridge.provisioning.inject.PhoneConfigStatus;
import org.sipbridge.provisioning.transfer.Transfer;

/**
 * {@code GET /api/provisioning}: the DHCP responder's counters and last phone, recent transfers, and
 * the Polycom configuration injection (what phones are told, which must provision again).
 */
record ProvisioningStatus(DhcpStats dhcp, List<Transfer> transfers, PhoneConfigStatus phoneConfig) {}
