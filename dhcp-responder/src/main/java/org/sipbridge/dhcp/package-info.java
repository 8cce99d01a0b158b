/**
 * The DHCP responder: answers a desk phone's DHCPINFORM with the bridge's provisioning URL (option 160
 * by default) and never answers anything else. {@link org.sipbridge.dhcp.DhcpResponderService} is the
 * service the daemon starts; {@code codec} is the pure DHCP codec, {@code reply} the pure reply rules.
 */
package org.sipbridge.dhcp;
