package org.sipbridge.dhcp;

import org.sipbridge.dhcp.codec.DhcpMessage;
import org.sipbridge.dhcp.reply.ReplyDecision;

/** What became of one datagram: not DHCP at all, or a request and the decision about it. */
sealed interface Outcome {

    record Malformed(String reason) implements Outcome {}

    record Handled(DhcpMessage request, ReplyDecision decision) implements Outcome {}
}
