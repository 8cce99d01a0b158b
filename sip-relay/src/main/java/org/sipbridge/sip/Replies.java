package org.sipbridge.sip;

import java.text.ParseException;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.TransactionUnavailableException;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipbridge.sip.stack.SipStackFactory.Factories;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers requests the bridge handles itself (refusals, keepalive OPTIONS) statefully. */
public final class Replies {

    private static final Logger log = LoggerFactory.getLogger(Replies.class);

    private static final java.security.SecureRandom TAGS = new java.security.SecureRandom();

    private final Factories sip;

    public Replies(Factories sip) {
        this.sip = sip;
    }

    /** The server transaction of a request event, created if the stack did not make one. */
    public ServerTransaction transactionOf(RequestEvent event) throws SipException {
        ServerTransaction transaction = event.getServerTransaction();
        return transaction != null
                ? transaction
                : ((SipProvider) event.getSource()).getNewServerTransaction(event.getRequest());
    }

    /** Sends {@code status} (with {@code reason} as the phrase when given); never for ACK. */
    public void send(RequestEvent event, int status, String reason) {
        Request request = event.getRequest();
        if (Request.ACK.equals(request.getMethod())) {
            return;
        }
        try {
            Response response = sip.messages().createResponse(status, request);
            ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
            if (status > 100 && to.getTag() == null) {
                // RFC 3261 §8.2.6.2: a UAS's final answer carries a To tag.
                to.setTag(Long.toHexString(TAGS.nextLong()));
            }
            if (reason != null) {
                response.setReasonPhrase(reason);
            }
            if ((status == Response.OK && Request.OPTIONS.equals(request.getMethod()))
                    || status == Response.NOT_IMPLEMENTED) {
                // RFC 3261 §11.2 and §8.2.1: what the bridge relays, for OPTIONS and for a method it cannot.
                response.addHeader(sip.headers()
                        .createAllowHeader("INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, "
                                + "PRACK, UPDATE, INFO, MESSAGE, REFER, SUBSCRIBE, NOTIFY"));
            }
            ServerTransaction transaction;
            try {
                transaction = transactionOf(event);
            } catch (TransactionUnavailableException e) {
                // The stack will not keep state for a malformed request (e.g. an INVITE without
                // Contact); refuse it statelessly instead of leaving the sender without an answer.
                ((SipProvider) event.getSource()).sendResponse(response);
                return;
            }
            transaction.sendResponse(response);
        } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
            log.warn("Could not answer {} with {}: {}", request.getMethod(), status, e.toString());
        }
    }
}
