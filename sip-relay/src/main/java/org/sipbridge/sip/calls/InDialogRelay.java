package org.sipbridge.sip.calls;

import java.text.ParseException;
import java.util.Set;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogState;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipbridge.contract.LogText;
import org.sipbridge.contract.media.MediaUnavailableException;
import org.sipbridge.sip.ContactParameters;
import org.sipbridge.sip.Exchange;
import org.sipbridge.sip.Messages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests within a call's dialogs (re-INVITE/hold, UPDATE, INFO, BYE, REFER, NOTIFY…) follow the
 * dialog to the other leg, and their answers come back; the ACK of a 2xx is end to end. A request
 * the bridge cannot relay, or that the other side lost the dialog of (481) or never answered, ends
 * the call on both legs (RFC 3261 §12.2.1.2); a re-offer the media relay refuses is only a 488.
 */
final class InDialogRelay {

    private static final Logger log = LoggerFactory.getLogger(InDialogRelay.class);
    /** Requests whose SDP is an offer (RFC 3264; RFC 3311 for UPDATE), unlike an ACK's or a response's answer. */
    private static final Set<String> OFFERS = Set.of(Request.INVITE, Request.UPDATE);

    private final CallContext context;
    private final LegMessages messages;
    private final CallEnding ending;

    InDialogRelay(CallContext context, LegMessages messages, CallEnding ending) {
        this.context = context;
        this.messages = messages;
        this.ending = ending;
    }

    /** Called under the call's lock with the leg the request came from. */
    void relay(RequestEvent event, Call call, Leg from) throws SipException {
        Request request = event.getRequest();
        Leg to = call.other(from);
        context.note(call, from.party(), Call.BRIDGE, LegMessages.summary(request));
        if (Request.ACK.equals(request.getMethod())) {
            forwardAck(call, to, request);
            return;
        }
        ServerTransaction transaction = context.replies().transactionOf(event);
        if (Request.PRACK.equals(request.getMethod())) {
            // Reliable provisional responses are acknowledged leg by leg (see EarlyDialog).
            messages.answer(transaction, Response.OK, null);
            return;
        }
        Dialog outDialog = to.dialog;
        if (outDialog == null || DialogState.TERMINATED.equals(outDialog.getState())) {
            messages.answer(transaction, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null);
            return;
        }
        String method = request.getMethod();
        boolean offerRelayed = false;
        try {
            Request out = outDialog.createRequest(method);
            context.phoneTarget().aim(to, out);
            Messages.copyHeaders(request, out, Messages.PER_HOP, to.side.hidden());
            if (LegMessages.TARGET_REFRESH.contains(method)) {
                out.removeHeader(ContactHeader.NAME);
                out.addHeader(ContactParameters.copyFirst(
                        request,
                        messages.contact(
                                to,
                                Messages.user(((FromHeader) out.getHeader(FromHeader.NAME))
                                        .getAddress()
                                        .getURI()),
                                messages.transportOf(to)),
                        to.side.hidden()));
            }
            // RFC 3264 §8: SDP in a re-INVITE or UPDATE is an offer; if the other side refuses it, it never happened
            boolean offer = messages.copyBody(call, request, out, from) && OFFERS.contains(method);
            offerRelayed = offer;
            ClientTransaction outTransaction = to.sender.newTransaction(out);
            context.note(call, Call.BRIDGE, to.party(), LegMessages.summary(out));
            if (Request.BYE.equals(method) && call.state() == CallState.ANSWERED) {
                call.moveTo(CallState.ENDING);
            }
            to.sender.send(outTransaction, outDialog, new Answers(call, from, to, transaction, method, offer));
        } catch (MediaUnavailableException e) {
            log.info("Refused {} in call {}: {}", method, LogText.bounded(call.id), e.getMessage());
            if (offerRelayed) {
                offerRejected(call, from);
            }
            messages.answer(transaction, Response.NOT_ACCEPTABLE_HERE, null);
        } catch (ParseException | SipException | RuntimeException e) {
            log.warn("Could not relay {} in call {}: {}", method, LogText.bounded(call.id), e.toString());
            log.debug("Failure details", e);
            messages.answer(
                    transaction, Request.BYE.equals(method) ? Response.OK : Response.SERVER_INTERNAL_ERROR, null);
            if (call.isCall()) {
                ending.tearDown(call, Response.SERVER_INTERNAL_ERROR, "Bridge could not relay " + method);
            }
        }
    }

    /** The other leg's answers to a relayed request, relayed back under the call's lock. */
    private final class Answers implements Exchange {
        private final Call call;
        private final Leg from;
        private final Leg to;
        private final ServerTransaction transaction;
        private final String method;
        private final boolean offer;

        Answers(Call call, Leg from, Leg to, ServerTransaction transaction, String method, boolean offer) {
            this.call = call;
            this.from = from;
            this.to = to;
            this.transaction = transaction;
            this.method = method;
            this.offer = offer;
        }

        @Override
        public void onResponse(Response response, ClientTransaction sent) {
            synchronized (call) {
                relayed(response, sent);
            }
        }

        @Override
        public void onNoAnswer(ClientTransaction sent, String why) {
            synchronized (call) {
                unanswered(why);
            }
        }

        private void relayed(Response response, ClientTransaction sent) {
            if (Request.INVITE.equals(method)) {
                to.inviteCseq = ((CSeqHeader) sent.getRequest().getHeader(CSeqHeader.NAME)).getSeqNumber();
            }
            int status = response.getStatusCode();
            if (status == Response.TRYING) {
                return;
            }
            context.note(call, to.party(), Call.BRIDGE, LegMessages.summary(response));
            if (Request.INVITE.equals(method) && status >= 200 && status < 300) {
                to.unackedAnswer = true;
            }
            if (Request.BYE.equals(method) && status >= 200) {
                ending.end(call);
            }
            if (offer && status >= 300) {
                offerRejected(call, from);
            }
            try {
                messages.relayResponse(call, from, transaction, response);
            } catch (ParseException
                    | SipException
                    | InvalidArgumentException
                    | MediaUnavailableException
                    | RuntimeException e) {
                log.warn(
                        "Could not relay {} to {} of call {}: {}",
                        status,
                        method,
                        LogText.bounded(call.id),
                        e.toString());
                log.debug("Failure details", e);
                messages.answer(transaction, Response.SERVER_INTERNAL_ERROR, null);
                ending.tearDown(call, Response.SERVER_INTERNAL_ERROR, "Bridge could not relay the answer");
                return;
            }
            if (status == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST && call.isCall()) {
                // RFC 3261 §12.2.1.2: the other side no longer has the dialog.
                ending.tearDown(call, Response.SERVER_INTERNAL_ERROR, "The " + to.party() + " ended the dialog");
            }
        }

        private void unanswered(String why) {
            context.note(call, to.party(), Call.BRIDGE, "no answer to " + method + ": " + why);
            if (Request.BYE.equals(method)) {
                ending.end(call);
            }
            if (offer) {
                offerRejected(call, from);
            }
            messages.answer(transaction, Request.BYE.equals(method) ? Response.OK : Response.REQUEST_TIMEOUT, null);
            if (call.isCall()) {
                // RFC 3261 §12.2.1.2: a request in a dialog that times out ends the dialog.
                ending.tearDown(call, Response.REQUEST_TIMEOUT, "No answer in the dialog");
            }
        }
    }

    /** The ACK of a 2xx is end to end: the bridge sends its own in the other dialog, SDP and all. */
    private void forwardAck(Call call, Leg to, Request ack) {
        Dialog dialog = to.dialog;
        if (dialog == null) {
            return;
        }
        try {
            Request out = dialog.createAck(to.inviteCseq);
            context.phoneTarget().aim(to, out);
            messages.copyBody(call, ack, out, call.other(to));
            context.note(call, Call.BRIDGE, to.party(), LegMessages.summary(out));
            dialog.sendAck(out);
            to.unackedAnswer = false;
        } catch (ParseException
                | InvalidArgumentException
                | MediaUnavailableException
                | SipException
                | RuntimeException e) {
            log.warn("Could not relay the ACK of call {}: {}", LogText.bounded(call.id), e.toString());
            log.debug("Failure details", e);
            ending.tearDown(call, Response.SERVER_INTERNAL_ERROR, "Bridge could not relay the ACK");
        }
    }

    /** The other side refused (or never answered) the offer {@code from} made: the media goes back as it was. */
    private void offerRejected(Call call, Leg from) {
        context.note(call, Call.BRIDGE, Call.BRIDGE, "offer from the " + from.party() + " refused: media as before it");
        if (from.isLan()) {
            call.media.lanOfferRejected();
        } else {
            call.media.vpnOfferRejected();
        }
    }
}
