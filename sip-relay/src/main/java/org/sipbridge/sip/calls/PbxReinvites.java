package org.sipbridge.sip.calls;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Collection;
import java.util.random.RandomGenerator;
import javax.sip.ClientTransaction;
import javax.sip.DialogState;
import javax.sip.SipException;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipbridge.contract.LogText;
import org.sipbridge.contract.media.MediaUnavailableException;
import org.sipbridge.sip.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the VPN came back with another address, tells the PBX of every answered call where the bridge
 * is now: a re-INVITE on the PBX leg ({@link PbxReoffer}), the 200 ACKed and its SDP given to the media
 * session. The phone's leg is not touched (its side did not change). A 491 (glare with a re-INVITE of
 * the PBX, or one the bridge is relaying) is retried after RFC 3261 §14.1's wait; any other failure
 * keeps the call as it is and is logged: the media may still flow (the PBX latches to the source), and
 * ending a call the user is talking on for a refused re-INVITE would be worse.
 * <p>
 * Each attempt and each answer runs under the call's lock, like every other event of a call.
 */
final class PbxReinvites {

    private static final Logger log = LoggerFactory.getLogger(PbxReinvites.class);
    /** Glare more often than this means something else is going on: stop and keep the call. */
    static final int MAX_ATTEMPTS = 5;

    private final CallContext context;
    private final LegMessages messages;
    private final PbxReoffer reoffer;
    private final RandomGenerator random;

    PbxReinvites(CallContext context, LegMessages messages, PbxReoffer reoffer, RandomGenerator random) {
        this.context = context;
        this.messages = messages;
        this.reoffer = reoffer;
        this.random = random;
    }

    /** The bridge's PBX-side address changed: re-INVITEs every answered call of {@code calls}. Any thread. */
    void vpnMoved(Collection<Call> calls) {
        for (Call call : calls) {
            synchronized (call) {
                attempt(call, 1);
            }
        }
    }

    /** Under the call's lock. */
    private void attempt(Call call, int attempt) {
        Leg leg = call.vpn;
        if (!call.isCall()
                || call.state() != CallState.ANSWERED
                || leg.dialog == null
                || !DialogState.CONFIRMED.equals(leg.dialog.getState())) {
            return; // not set up yet or ending: the new address goes out with its next message, if any
        }
        try {
            Request invite = reoffer.build(call);
            ClientTransaction transaction = leg.sender.newTransaction(invite);
            context.note(call, Call.BRIDGE, leg.party(), LegMessages.summary(invite) + " (new VPN address)");
            leg.sender.send(transaction, leg.dialog, new Answers(call, attempt));
        } catch (MediaUnavailableException e) {
            log.warn(
                    "Call {}: no re-INVITE after the VPN address changed: {}",
                    LogText.bounded(call.id),
                    e.getMessage());
        } catch (SipException | ParseException | RuntimeException e) {
            // jain-sip refuses a second INVITE while one is pending in the dialog: glare on the bridge's own side
            retryLater(call, attempt, "could not send: " + e.getMessage());
        }
    }

    private void retryLater(Call call, int attempt, String why) {
        if (attempt >= MAX_ATTEMPTS) {
            log.warn(
                    "Call {}: gave up re-INVITing the PBX after {} attempts ({}); the call is kept",
                    LogText.bounded(call.id),
                    attempt,
                    LogText.bounded(why));
            return;
        }
        long delay = glareDelayMs(call.fromPhone, random);
        log.info(
                "Call {}: re-INVITE to the PBX: {}; trying again in {} ms",
                LogText.bounded(call.id),
                LogText.bounded(why),
                delay);
        call.vpn.sender.schedule(
                () -> {
                    synchronized (call) {
                        attempt(call, attempt + 1);
                    }
                },
                delay);
    }

    /**
     * RFC 3261 §14.1: after a 491, the owner of the dialog's Call-ID waits 2.1–4 s, the other side 0–2 s,
     * in steps of 10 ms. The bridge generated the PBX leg's Call-ID when the phone placed the call.
     */
    static long glareDelayMs(boolean ownsCallId, RandomGenerator random) {
        return ownsCallId ? 2100 + 10L * random.nextInt(191) : 10L * random.nextInt(201);
    }

    /** The PBX's answers to one re-INVITE, under the call's lock. */
    private final class Answers implements Exchange {
        private final Call call;
        private final int attempt;

        Answers(Call call, int attempt) {
            this.call = call;
            this.attempt = attempt;
        }

        @Override
        public void onResponse(Response response, ClientTransaction sent) {
            synchronized (call) {
                answered(response, sent);
            }
        }

        @Override
        public void onNoAnswer(ClientTransaction sent, String why) {
            synchronized (call) {
                context.note(call, call.vpn.party(), Call.BRIDGE, "no answer to the re-INVITE: " + why);
                log.warn(
                        "Call {}: the PBX did not answer the re-INVITE from the new VPN address ({}); the call is kept",
                        LogText.bounded(call.id),
                        why);
            }
        }

        private void answered(Response response, ClientTransaction sent) {
            int status = response.getStatusCode();
            if (status < 200) {
                return;
            }
            Leg leg = call.vpn;
            context.note(call, leg.party(), Call.BRIDGE, LegMessages.summary(response));
            if (status >= 300) {
                if (status == Response.REQUEST_PENDING) {
                    retryLater(call, attempt, "491 Request Pending");
                } else {
                    log.warn(
                            "Call {}: the PBX answered the re-INVITE from the new VPN address with {} {}; the call is kept",
                            LogText.bounded(call.id),
                            status,
                            LogText.bounded(response.getReasonPhrase()));
                }
                return;
            }
            byte[] body = response.getRawContent();
            if (body != null && body.length > 0 && !call.state().isOver()) {
                try {
                    call.media.vpnReofferAnswered(new String(body, StandardCharsets.UTF_8));
                } catch (MediaUnavailableException e) {
                    log.warn(
                            "Call {}: the PBX's answer to the re-INVITE was refused: {}",
                            LogText.bounded(call.id),
                            e.getMessage());
                }
            }
            leg.inviteCseq = ((CSeqHeader) sent.getRequest().getHeader(CSeqHeader.NAME)).getSeqNumber();
            messages.acknowledge(call, leg);
        }
    }
}
