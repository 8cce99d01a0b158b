package org.sipbridge.sip.calls;

import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipbridge.config.ServerAddress;
import org.sipbridge.config.Station;
import org.sipbridge.contract.LogText;
import org.sipbridge.contract.media.MediaUnavailableException;
import org.sipbridge.sip.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callee's answers to the bridge's first INVITE of a call, handled under the call's lock:
 * provisional ones through the early dialog, a 2xx relayed to the caller, a challenge answered with
 * the station's credentials or passed to the caller (whose retry continues the call), silence or a
 * 5xx before any provisional answer failing over to the next server, any other answer relayed.
 */
final class CalleeAnswers implements Exchange {

    private static final Logger log = LoggerFactory.getLogger(CalleeAnswers.class);

    private final CallContext context;
    private final CallSetup setup;
    private final EarlyDialog early;
    private final LegMessages messages;
    private final CallEnding ending;
    private final Call call;
    /** The server the INVITE went to (phone → PBX); empty toward the phone. */
    private final Optional<ServerAddress> server;

    private final Optional<Station> station;
    private final List<ServerAddress> tried;
    private boolean provisional;
    private boolean answeredChallenge;

    CalleeAnswers(
            CallContext context,
            CallSetup setup,
            EarlyDialog early,
            LegMessages messages,
            CallEnding ending,
            Call call,
            Optional<ServerAddress> server,
            Optional<Station> station,
            List<ServerAddress> tried) {
        this.context = context;
        this.setup = setup;
        this.early = early;
        this.messages = messages;
        this.ending = ending;
        this.call = call;
        this.server = server;
        this.station = station;
        this.tried = tried;
    }

    @Override
    public void onResponse(Response response, ClientTransaction transaction) {
        synchronized (call) {
            handle(response, transaction);
        }
    }

    @Override
    public void onNoAnswer(ClientTransaction transaction, String why) {
        synchronized (call) {
            context.note(call, call.callee().party(), Call.BRIDGE, "no answer: " + why);
            call.calleeInvite = null;
            try {
                if (server.isPresent() && !provisional && failOver(why, true)) {
                    return;
                }
            } catch (RuntimeException e) {
                // On the timer thread nobody else would see it, and the call would stay half set up.
                ending.failUnexpectedly(call, e);
                return;
            }
            ending.tearDown(
                    call,
                    Response.REQUEST_TIMEOUT,
                    call.fromPhone ? "No answer from the PBX" : "No answer from the phone");
        }
    }

    private void handle(Response response, ClientTransaction transaction) {
        int status = response.getStatusCode();
        context.note(call, call.callee().party(), Call.BRIDGE, LegMessages.summary(response));
        server.ifPresent(context.group()::answered);
        ServerTransaction pending = call.callerInvite;
        if (status >= 200 && call.fromPhone && station.isEmpty() && pending != null) {
            context.admission().answered(call.lanDevice, pending.getRequest(), response);
        }
        try {
            if (status == Response.TRYING) {
                return;
            }
            if (status < 200) {
                provisional = true;
                early.provisional(call, response);
                return;
            }
            call.calleeInvite = null;
            if (status >= 300 && call.state().isOver()) {
                return; // the call was torn down meanwhile; the stack ACKs this answer
            }
            if (status < 300) {
                answered(response);
            } else if (isChallenge(status) && station.isPresent() && !answeredChallenge) {
                retryWithCredentials(transaction, response);
            } else if (status >= 500
                    && !provisional
                    && server.isPresent()
                    && failOver(status + " " + response.getReasonPhrase(), status == Response.SERVICE_UNAVAILABLE)) {
                return;
            } else {
                ServerTransaction callerInvite = call.callerInvite;
                if (isChallenge(status) && call.isCall()) {
                    setup.awaitRetry(call, transaction.getRequest());
                } else {
                    ending.end(call);
                }
                messages.relayResponse(call, call.caller(), callerInvite, response);
            }
        } catch (ParseException
                | SipException
                | InvalidArgumentException
                | MediaUnavailableException
                | RuntimeException e) {
            log.warn("Could not relay {} for call {}: {}", status, LogText.bounded(call.id), e.toString());
            log.debug("Failure details", e);
            ending.tearDown(call, Response.SERVER_INTERNAL_ERROR, "Bridge could not relay the answer");
        }
    }

    /**
     * The callee's 2xx: relayed to the caller, whose INVITE stays pending until it is out, so that a
     * failure to relay it can still answer 500 (and the callee's leg be ACKed and ended).
     */
    private void answered(Response response)
            throws ParseException, SipException, InvalidArgumentException, MediaUnavailableException {
        Leg callee = call.callee();
        callee.unackedAnswer = true;
        if (!call.state().isSettingUp()) {
            // CANCEL lost the race with the 200 (or the call was torn down): confirm and end the callee's dialog.
            messages.acknowledge(call, callee);
            messages.sendBye(call, callee);
            messages.answerCaller(call, Response.REQUEST_TERMINATED, "Request Terminated");
            ending.end(call);
            return;
        }
        call.moveTo(CallState.ANSWERED);
        call.answered = context.clock().instant();
        messages.relayResponse(call, call.caller(), call.callerInvite, response);
        call.callerInvite = null;
        if (!call.isCall() && !call.createsDialog) {
            ending.end(call);
        }
    }

    /**
     * Tries the call on the next server. Only silence and 503 (RFC 3261 §21.5.4: the server is
     * overloaded or down) mark the server down for everyone; another 5xx is about this call, so
     * the server stays current for the rest.
     */
    private boolean failOver(String why, boolean serverMayBeDown) {
        if (serverMayBeDown) {
            context.group().suspect(server.get(), why);
        }
        Optional<ServerAddress> next = context.group().failoverTarget(server.get(), tried);
        if (next.isEmpty() || !call.state().isSettingUp()) {
            return false;
        }
        call.moveTo(CallState.FAILING_OVER);
        log.info("Call {}: failing over from {} to {} ({})", LogText.bounded(call.id), server.get(), next.get(), why);
        setup.toServer(call, next.get(), station, tried);
        return true;
    }

    /** The bridge answers the challenge with the station's credentials (the phone never sees it). */
    private void retryWithCredentials(ClientTransaction failed, Response challenge)
            throws ParseException, InvalidArgumentException, SipException, MediaUnavailableException {
        Optional<Request> retry = context.admission()
                .stations()
                .retry(
                        failed.getRequest(),
                        messages.via(call.callee(), context.serverTransport().get()),
                        cseq -> cseq + 1,
                        challenge,
                        station.get());
        if (retry.isEmpty()) {
            ServerTransaction callerInvite = call.callerInvite;
            setup.awaitRetry(call, failed.getRequest());
            messages.relayResponse(call, call.caller(), callerInvite, challenge);
            return;
        }
        answeredChallenge = true;
        setup.sendCalleeInvite(call, retry.get(), this);
    }

    private static boolean isChallenge(int status) {
        return status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED;
    }
}
