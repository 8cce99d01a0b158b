package org.sipbridge.sip.calls;

import java.util.List;
import javax.sip.ClientTransaction;
import javax.sip.DialogState;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipbridge.contract.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How calls end: normally (media freed, into the history), or torn down on both legs when the bridge cannot go on. */
final class CallEnding {

    private static final Logger log = LoggerFactory.getLogger(CallEnding.class);

    private final CallContext context;
    private final LegMessages messages;
    private final CallBook book;

    CallEnding(CallContext context, LegMessages messages, CallBook book) {
        this.context = context;
        this.messages = messages;
        this.book = book;
    }

    void end(Call call) {
        end(call, CallState.ENDED);
    }

    /** Ends the call in {@code last} (ENDED or FAILED): media freed, moved from the active calls to the recent ones. */
    private void end(Call call, CallState last) {
        if (!call.moveTo(last)) {
            return;
        }
        call.ended = context.clock().instant();
        call.callerInvite = null;
        if (!call.isCall()) {
            return;
        }
        call.media.release();
        book.archive(call);
        log.info("Call {} ended", LogText.bounded(call.id));
    }

    /**
     * The bridge cannot go on with a call (a message it could not relay, a dialog the other side lost, its
     * media gone): ends it on both legs, whatever its state, and frees its media. The caller's pending INVITE
     * gets {@code status}; the callee's pending INVITE is cancelled (a 2xx that still comes is ACKed and ended
     * with BYE); a 2xx not yet ACKed is ACKed; every confirmed dialog gets a BYE.
     */
    void tearDown(Call call, int status, String reason) {
        if (call.state().isOver()) {
            return;
        }
        ServerTransaction callerInvite = call.callerInvite;
        ClientTransaction calleeInvite = call.calleeInvite;
        end(call, CallState.FAILED);
        if (callerInvite != null) {
            context.note(call, Call.BRIDGE, call.caller().party(), status + " " + reason);
            messages.answer(callerInvite, status, reason);
        }
        if (calleeInvite != null) {
            cancelCallee(call, calleeInvite);
        }
        for (Leg leg : List.of(call.caller(), call.callee())) {
            if (leg.unackedAnswer && leg.dialog != null) {
                messages.acknowledge(call, leg);
            }
            if (leg.dialog != null && DialogState.CONFIRMED.equals(leg.dialog.getState())) {
                messages.sendBye(call, leg);
            }
        }
    }

    /** An unexpected failure (a fuzzed CSeq, a header the stack will not build): 500, and the call torn down. */
    void failUnexpectedly(Call call, RuntimeException e) {
        log.info("Call {} failed: {}", LogText.bounded(call.id), e.toString());
        log.debug("Failure details", e);
        tearDown(call, Response.SERVER_INTERNAL_ERROR, "Bridge could not relay the request");
    }

    /** Sends CANCEL for the callee's pending INVITE; false when it could not be sent. */
    boolean cancelCallee(Call call, ClientTransaction pending) {
        try {
            call.callee()
                    .side
                    .provider()
                    .getNewClientTransaction(pending.createCancel())
                    .sendRequest();
            context.note(call, Call.BRIDGE, call.callee().party(), Request.CANCEL);
            return true;
        } catch (SipException | RuntimeException e) {
            log.info("Could not cancel the callee leg of call {}: {}", LogText.bounded(call.id), e.toString());
            return false;
        }
    }

    /**
     * The media relay ended the call's session (no media for its limit, or held too long): end the
     * call on both legs (BYE where answered, CANCEL and 480 where not), so that nothing stays half open.
     */
    void mediaTimedOut(Call call, String why) {
        if (call.state().isOver()) {
            return;
        }
        log.info("Call {} ends: {}", LogText.bounded(call.id), why);
        context.note(call, Call.BRIDGE, Call.BRIDGE, "media timed out: " + why);
        tearDown(call, Response.TEMPORARILY_UNAVAILABLE, "Media timed out");
    }
}
