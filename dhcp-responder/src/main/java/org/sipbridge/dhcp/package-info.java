/** Will own the DHCP codec (RFC 2131/2132) and the DHCPINFORM option 160 responder (netty). */
package org.sipbridge.dhcp;
