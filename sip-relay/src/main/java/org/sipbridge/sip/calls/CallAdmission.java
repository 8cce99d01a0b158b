package org.sipbridge.sip.calls;

import javax.sip.RequestEvent;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipbridge.contract.LogText;
import org.sipbridge.sip.identity.Device;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a new INVITE relates to the calls the relay already has: a copy of one on another branch (a
 * merged request), the retry of a challenged one, or a new call within the device's limit.
 */
final class CallAdmission {

    private static final Logger log = LoggerFactory.getLogger(CallAdmission.class);
    /** More calls than a desk phone ever holds at once (lines × call waiting); beyond, a device is hoarding media ports. */
    static final int MAX_CALLS_PER_DEVICE = 8;

    private final CallContext context;
    private final CallBook book;

    CallAdmission(CallContext context, CallBook book) {
        this.context = context;
        this.book = book;
    }

    /**
     * RFC 3261 §8.2.2.2: a copy of a call's INVITE on another branch that leads to the same phone (the PBX
     * forked it to two bindings of one device; jain-sip's own check also compares the Request-URI, so it lets
     * these through) is a merged request: answered 482 here, so the phone rings once and the call has one row.
     * A copy for another phone ({@code device}: where this copy would go, or the phone that sent it) is that
     * phone's own call: the rule is about one UAS getting the request twice. True when it was refused.
     */
    boolean refusedAsMergedCopy(RequestEvent event, Device device) {
        Request request = event.getRequest();
        if (!Request.INVITE.equals(request.getMethod())) {
            return false;
        }
        Call.Origin origin = Call.Origin.of(request);
        Call existing = book.withCallId(callIdOf(request)).stream()
                .filter(call -> call.origin != null
                        && call.origin.fromTag().equals(origin.fromTag())
                        && call.origin.cseq() == origin.cseq()
                        && !call.origin.branch().equals(origin.branch())
                        && call.lanDevice.isSameAs(device))
                .findFirst()
                .orElse(null);
        if (existing == null) {
            return false;
        }
        log.info(
                "Call {}: a copy of its INVITE on another branch refused as a merged request",
                LogText.bounded(existing.id));
        context.note(existing, existing.caller().party(), Call.BRIDGE, "INVITE on another branch: 482 Loop Detected");
        context.replies().send(event, Response.LOOP_DETECTED, "Loop Detected");
        return true;
    }

    /**
     * The caller's retry of a call the callee challenged (RFC 3261 §22.2: same Call-ID and From tag, higher
     * CSeq), from the same device ({@code device} null: from the PBX): it continues that call (one row, the
     * same media) instead of starting one. Null when the request is no such retry.
     */
    Call challengedCallRetriedBy(Request request, Device device) {
        if (!Request.INVITE.equals(request.getMethod())) {
            return null;
        }
        Call.Origin origin = Call.Origin.of(request);
        return book.withCallId(callIdOf(request)).stream()
                .filter(existing -> existing.state() == CallState.CHALLENGED
                        && existing.isOwnDevice(device)
                        && existing.fromPhone == (device != null)
                        && existing.origin.fromTag().equals(origin.fromTag())
                        && origin.cseq() > existing.origin.cseq())
                .findFirst()
                .orElse(null);
    }

    /** True when {@code device} already has as many calls as one device may. */
    boolean isFull(Device device) {
        return book.activeCallsOf(device) >= MAX_CALLS_PER_DEVICE;
    }

    private static String callIdOf(Request request) {
        return ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
    }
}
