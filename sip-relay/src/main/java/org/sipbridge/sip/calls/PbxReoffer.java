package org.sipbridge.sip.calls;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import javax.sip.SipException;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;
import org.sipbridge.contract.media.MediaUnavailableException;
import org.sipbridge.sip.Messages;

/**
 * Builds the bridge's own re-INVITE on a call's PBX leg after the VPN address changed: in the leg's
 * dialog (its Call-ID, tags, route set and next CSeq), with the Via of the side's listening point
 * (already on the new address), the bridge's Contact at the new address (a target refresh, RFC 3261
 * §12.2) and as body the phone's last SDP at the new address with the next o= version (RFC 3264 §8).
 */
final class PbxReoffer {

    private final CallContext context;
    private final LegMessages messages;

    PbxReoffer(CallContext context, LegMessages messages) {
        this.context = context;
        this.messages = messages;
    }

    /** Called under the call's lock, on an answered call whose PBX leg has a confirmed dialog. */
    Request build(Call call) throws SipException, ParseException, MediaUnavailableException {
        Leg leg = call.vpn;
        Request invite = leg.dialog.createRequest(Request.INVITE);
        invite.removeHeader(ContactHeader.NAME);
        String user = Messages.user(
                ((FromHeader) invite.getHeader(FromHeader.NAME)).getAddress().getURI());
        invite.addHeader(messages.contact(leg, user, messages.transportOf(leg)));
        invite.setContent(
                call.media.vpnReoffer().getBytes(StandardCharsets.UTF_8),
                context.sip().headers().createContentTypeHeader("application", "sdp"));
        return invite;
    }
}
