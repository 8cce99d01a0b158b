package org.sipbridge.dhcp;

import java.net.InetSocketAddress;
import org.sipbridge.contract.LogText;
import org.sipbridge.dhcp.codec.DhcpMessage;
import org.sipbridge.dhcp.codec.DhcpMessageType;
import org.sipbridge.dhcp.codec.Ipv4;
import org.sipbridge.dhcp.reply.ReplyDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs outcomes at a level that suits how often they happen: a DHCPINFORM (a phone booting) at INFO,
 * the rest of a home network's DHCP chatter and malformed datagrams at DEBUG, never with a stack trace.
 */
final class OutcomeLog {

    private static final Logger log = LoggerFactory.getLogger(OutcomeLog.class);

    private OutcomeLog() {}

    static void log(Outcome outcome, InetSocketAddress sender) {
        if (outcome instanceof Outcome.Malformed malformed) {
            log.debug("Dropped a datagram from {} that is not DHCP: {}", sender, malformed.reason());
            return;
        }
        Outcome.Handled handled = (Outcome.Handled) outcome;
        DhcpMessage request = handled.request();
        boolean inform = request.options()
                .messageType()
                .filter(DhcpMessageType.INFORM::equals)
                .isPresent();
        if (handled.decision() instanceof ReplyDecision.Reply reply) {
            log.info(
                    "Answered DHCPINFORM from {} at {} ({}) with {} to {}",
                    client(request),
                    Ipv4.text(request.ciaddr()),
                    request.options()
                            .vendorClassIdentifier()
                            .map(LogText::bounded)
                            .orElse("no vendor class"),
                    reply.packet().options(),
                    reply.destination());
        } else if (inform) {
            ReplyDecision.Ignored ignored = (ReplyDecision.Ignored) handled.decision();
            log.info(
                    "Did not answer DHCPINFORM from {} at {}: {}",
                    client(request),
                    Ipv4.text(request.ciaddr()),
                    ignored.reason().description());
        } else if (log.isDebugEnabled()) {
            log.debug(
                    "Ignored {} from {} ({}): {}",
                    request.options().messageType().map(Enum::name).orElse("BOOTP"),
                    client(request),
                    sender,
                    ((ReplyDecision.Ignored) handled.decision()).reason().description());
        }
    }

    private static String client(DhcpMessage request) {
        return request.clientHardwareAddress().toHex(":");
    }
}
