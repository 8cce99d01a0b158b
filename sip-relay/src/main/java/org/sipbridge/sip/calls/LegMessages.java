package org.sipbridge.sip.calls;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Set;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.HeaderAddress;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipbridge.config.Transport;
import org.sipbridge.contract.LogText;
import org.sipbridge.contract.media.MediaUnavailableException;
import org.sipbridge.sip.ContactParameters;
import org.sipbridge.sip.Exchange;
import org.sipbridge.sip.Hops;
import org.sipbridge.sip.Messages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and sends the messages of one leg: responses relayed from the other leg, the bridge's own
 * answers, ACKs and BYEs, the bridge's Via and Contact, and bodies (SDP through the call's media).
 */
final class LegMessages {

    private static final Logger log = LoggerFactory.getLogger(LegMessages.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Requests whose Contact is a target refresh (RFC 3261 §12.2, RFC 3311, RFC 3515, RFC 6665). */
    static final Set<String> TARGET_REFRESH =
            Set.of(Request.INVITE, Request.UPDATE, Request.SUBSCRIBE, Request.NOTIFY, Request.REFER);

    private final CallContext context;

    LegMessages(CallContext context) {
        this.context = context;
    }

    /** Relays a response of the other leg to {@code transaction} on {@code to}'s side. */
    void relayResponse(Call call, Leg to, ServerTransaction transaction, Response in)
            throws ParseException, SipException, InvalidArgumentException, MediaUnavailableException {
        if (transaction == null) {
            return;
        }
        Response out = context.sip().messages().createResponse(in.getStatusCode(), transaction.getRequest());
        out.setReasonPhrase(in.getReasonPhrase());
        Messages.copyHeaders(in, out, Messages.PER_HOP, to.side.hidden());
        ToHeader toHeader = (ToHeader) out.getHeader(ToHeader.NAME);
        if (toHeader.getTag() == null) {
            toHeader.setTag(to.dialog != null && to.dialog.getLocalTag() != null ? to.dialog.getLocalTag() : newTag());
        }
        String method = transaction.getRequest().getMethod();
        if (in.getHeader(ContactHeader.NAME) != null && TARGET_REFRESH.contains(method)) {
            out.addHeader(ContactParameters.copyFirst(
                    in, contact(to, Messages.user(toHeader.getAddress().getURI()), transportOf(to)), to.side.hidden()));
        }
        copyBody(call, in, out, call.other(to));
        context.note(call, Call.BRIDGE, to.party(), summary(out));
        transaction.sendResponse(out);
    }

    /**
     * Copies the body, rewriting SDP for the leg it goes to ({@code from} is where it came from). True when it
     * was SDP the media session took in.
     */
    boolean copyBody(Call call, Message in, Message out, Leg from) throws ParseException, MediaUnavailableException {
        byte[] raw = in.getRawContent();
        if (raw == null || raw.length == 0) {
            return false;
        }
        ContentTypeHeader type = (ContentTypeHeader) in.getHeader(ContentTypeHeader.NAME);
        if (type == null) {
            type = context.sip().headers().createContentTypeHeader("application", "octet-stream");
        }
        out.removeHeader(ContentTypeHeader.NAME);
        if (call.isCall()
                && "application".equalsIgnoreCase(type.getContentType())
                && "sdp".equalsIgnoreCase(type.getContentSubType())) {
            String sdp = new String(raw, StandardCharsets.UTF_8);
            String rewritten = from.isLan() ? call.media.fromLan(sdp) : call.media.fromVpn(sdp);
            out.setContent(rewritten.getBytes(StandardCharsets.UTF_8), (ContentTypeHeader) type.clone());
            return true;
        }
        out.setContent(raw, (ContentTypeHeader) type.clone());
        return false;
    }

    /** The bridge's own answer to a request; a failure to send it is only logged (nothing else can be done). */
    void answer(ServerTransaction transaction, int status, String reason) {
        try {
            Response response = context.sip().messages().createResponse(status, transaction.getRequest());
            if (reason != null) {
                response.setReasonPhrase(reason);
            }
            ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
            if (to.getTag() == null && status > 100) {
                to.setTag(
                        transaction.getDialog() != null
                                        && transaction.getDialog().getLocalTag() != null
                                ? transaction.getDialog().getLocalTag()
                                : newTag());
            }
            transaction.sendResponse(response);
        } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
            log.debug("Could not answer with {}", status, e);
        }
    }

    /** The bridge's own final answer to the caller's pending INVITE, if it is still pending. */
    void answerCaller(Call call, int status, String reason) {
        ServerTransaction callerInvite = call.callerInvite;
        if (callerInvite != null) {
            context.note(call, Call.BRIDGE, call.caller().party(), status + " " + reason);
            answer(callerInvite, status, reason);
        }
    }

    /** ACKs (without a body) a 2xx the other side's ACK will not relay. */
    void acknowledge(Call call, Leg leg) {
        try {
            leg.unackedAnswer = false;
            Request ack = leg.dialog.createAck(leg.inviteCseq);
            context.phoneTarget().aim(leg, ack);
            context.note(call, Call.BRIDGE, leg.party(), Request.ACK);
            leg.dialog.sendAck(ack);
        } catch (InvalidArgumentException | SipException | RuntimeException e) {
            log.info(
                    "Could not ACK the {} leg of call {}: {}", leg.side.name(), LogText.bounded(call.id), e.toString());
        }
    }

    void sendBye(Call call, Leg leg) {
        try {
            Request bye = leg.dialog.createRequest(Request.BYE);
            context.phoneTarget().aim(leg, bye);
            sendOwn(call, leg, bye);
        } catch (SipException | RuntimeException e) {
            log.warn(
                    "Could not end the {} leg of call {}: {}", leg.side.name(), LogText.bounded(call.id), e.toString());
        }
    }

    /**
     * Sends a request the bridge makes itself in a leg's dialog (PRACK, the BYE that ends a call lost
     * to a CANCEL): nothing is relayed back, whatever the answer.
     */
    void sendOwn(Call call, Leg leg, Request request) throws SipException {
        ClientTransaction transaction = leg.sender.newTransaction(request);
        context.note(call, Call.BRIDGE, leg.party(), summary(request));
        leg.sender.send(transaction, leg.dialog, new Exchange() {
            @Override
            public void onResponse(Response response, ClientTransaction sent) {
                // The other leg has its own transaction; nothing to relay.
            }

            @Override
            public void onNoAnswer(ClientTransaction sent, String why) {
                log.info("{} of call {} unanswered: {}", request.getMethod(), LogText.bounded(call.id), why);
            }
        });
    }

    ViaHeader via(Leg leg, Transport transport) throws ParseException, InvalidArgumentException {
        return Hops.via(context.sip(), leg.side, transport);
    }

    ContactHeader contact(Leg leg, String user, Transport transport) throws ParseException {
        SipURI uri = context.sip()
                .addresses()
                .createSipURI(user == null || user.isEmpty() ? null : user, leg.side.address());
        uri.setPort(leg.side.port(transport));
        if (transport != Transport.UDP) {
            uri.setTransportParam(transport.key());
        }
        return context.sip()
                .headers()
                .createContactHeader(context.sip().addresses().createAddress(uri));
    }

    Transport transportOf(Leg leg) {
        return leg.isLan()
                ? context.phoneTransport().get()
                : context.serverTransport().get();
    }

    /** The transport toward the phone: its contact's transport parameter, else the configured one. */
    Transport phoneTransportFor(URI contact) {
        if (contact instanceof SipURI uri && uri.getTransportParam() != null) {
            try {
                Transport transport = Transport.fromKey(uri.getTransportParam());
                if (context.toPhone().side().supports(transport)) {
                    return transport;
                }
            } catch (IllegalArgumentException e) {
                // fall through to the configured transport
            }
        }
        return context.phoneTransport().get();
    }

    static String newTag() {
        return Long.toHexString(RANDOM.nextLong());
    }

    /** A timeline line: the method or status, and whether it carried SDP. */
    static String summary(Message message) {
        String what = message instanceof Response response
                ? response.getStatusCode() + " " + response.getReasonPhrase()
                : ((Request) message).getMethod();
        byte[] body = message.getRawContent();
        return body != null
                        && body.length > 0
                        && message.getHeader(ContentTypeHeader.NAME) instanceof ContentTypeHeader type
                        && "sdp".equalsIgnoreCase(type.getContentSubType())
                ? what + " (SDP)"
                : what;
    }

    static String party(HeaderAddress header) {
        Address address = header.getAddress();
        String display = address.getDisplayName();
        return display != null && !display.isBlank() ? display : Messages.user(address.getURI());
    }
}
