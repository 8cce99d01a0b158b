package org.sipbridge.sip.calls;

import javax.sip.ClientTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The caller's CANCEL of its pending INVITE: relayed as the bridge's own CANCEL to the callee, whose
 * 487 then reaches the caller; a 2xx that races the CANCEL is ACKed and ended with BYE (CalleeAnswers).
 */
final class CallCancelling {

    private final CallContext context;
    private final LegMessages messages;
    private final CallEnding ending;

    CallCancelling(CallContext context, LegMessages messages, CallEnding ending) {
        this.context = context;
        this.messages = messages;
        this.ending = ending;
    }

    /** Called under the call's lock, after the CANCEL itself was answered 200. */
    void cancel(Call call) {
        if (call.callerInvite == null || !call.moveTo(CallState.CANCELLING)) {
            return;
        }
        context.note(call, call.caller().party(), Call.BRIDGE, Request.CANCEL);
        ClientTransaction pending = call.calleeInvite;
        if (pending == null || !ending.cancelCallee(call, pending)) {
            messages.answerCaller(call, Response.REQUEST_TERMINATED, "Request Terminated");
            ending.end(call);
        }
    }
}
