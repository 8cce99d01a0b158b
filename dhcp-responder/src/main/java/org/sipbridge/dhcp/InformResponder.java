package org.sipbridge.dhcp;

import java.util.Optional;
import org.sipbridge.dhcp.codec.DhcpDecoder;
import org.sipbridge.dhcp.codec.DhcpMessage;
import org.sipbridge.dhcp.codec.MalformedDhcpException;
import org.sipbridge.dhcp.reply.IgnoreReason;
import org.sipbridge.dhcp.reply.InformReplyRules;
import org.sipbridge.dhcp.reply.ReplyDecision;

/**
 * One datagram in, one {@link Outcome} out: decode, screen, look up the current settings, apply the
 * rules. No sockets and no counters, so it is tested without a network.
 */
final class InformResponder {

    private final ResponderSettingsSource settings;
    private final InformReplyRules rules;

    InformResponder(ResponderSettingsSource settings, InformReplyRules rules) {
        this.settings = settings;
        this.rules = rules;
    }

    /** @param source the datagram's IPv4 source address (0 when it was not IPv4) */
    Outcome respond(byte[] datagram, int source) {
        DhcpMessage request;
        try {
            request = DhcpDecoder.decode(datagram);
        } catch (MalformedDhcpException e) {
            return new Outcome.Malformed(e.getMessage());
        }
        Optional<IgnoreReason> screened = InformReplyRules.screen(request);
        if (screened.isPresent()) {
            return new Outcome.Handled(request, new ReplyDecision.Ignored(screened.get()));
        }
        ResponderSettingsSource.Lookup lookup = settings.current();
        if (lookup instanceof ResponderSettingsSource.Lookup.Unavailable unavailable) {
            return new Outcome.Handled(request, new ReplyDecision.Ignored(unavailable.reason()));
        }
        return new Outcome.Handled(
                request, rules.decide(request, source, ((ResponderSettingsSource.Lookup.Ready) lookup).settings()));
    }
}
