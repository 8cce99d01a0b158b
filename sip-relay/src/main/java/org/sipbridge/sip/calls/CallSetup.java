package org.sipbridge.sip.calls;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipbridge.config.ServerAddress;
import org.sipbridge.config.Station;
import org.sipbridge.config.Transport;
import org.sipbridge.contract.LogText;
import org.sipbridge.contract.media.MediaSession;
import org.sipbridge.contract.media.MediaUnavailableException;
import org.sipbridge.sip.ContactParameters;
import org.sipbridge.sip.Hops;
import org.sipbridge.sip.Messages;
import org.sipbridge.sip.RequestTooLargeException;
import org.sipbridge.sip.identity.Device;
import org.sipbridge.sip.registration.Binding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets calls up: the call and its media for a new request (or the challenged call a retry continues),
 * and the bridge's INVITE on the callee leg (own Call-ID, tags, Via and Contact; the caller's other
 * headers; SDP through the media session). The callee's answers go to {@link CalleeAnswers}.
 */
final class CallSetup {

    private static final Logger log = LoggerFactory.getLogger(CallSetup.class);
    /**
     * How long, in T1 units, a challenged call waits for the caller's retry with credentials: phones retry at
     * once, after ACKing the 401/407 (8 s with the default T1).
     */
    static final int RETRY_WINDOW_T1 = 16;

    private final CallContext context;
    private final LegMessages messages;
    private final EarlyDialog early;
    private final CallEnding ending;
    private final CallBook book;

    CallSetup(CallContext context, LegMessages messages, EarlyDialog early, CallEnding ending, CallBook book) {
        this.context = context;
        this.messages = messages;
        this.early = early;
        this.ending = ending;
        this.book = book;
    }

    /**
     * The call for a new request on {@code transaction} ({@code retried}: the challenged call it continues,
     * or null), 100 Trying sent for an INVITE; null when it was refused (no media ports).
     */
    Call newCall(ServerTransaction transaction, boolean fromPhone, Device lanDevice, Call retried) throws SipException {
        Request request = transaction.getRequest();
        String method = request.getMethod();
        boolean invite = Request.INVITE.equals(method);
        boolean createsDialog = invite || Request.SUBSCRIBE.equals(method) || Request.REFER.equals(method);
        if (invite) {
            messages.answer(transaction, Response.TRYING, null);
        }
        if (retried != null && resume(retried, transaction)) {
            return retried;
        }
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        MediaSession session = null;
        if (invite) {
            try {
                session = context.media().allocate(callId);
            } catch (MediaUnavailableException e) {
                log.warn("No media for call {}: {}", LogText.bounded(callId), e.getMessage());
                messages.answer(transaction, Response.SERVICE_UNAVAILABLE, "No media ports available");
                return null;
            }
        }
        try {
            return register(transaction, fromPhone, lanDevice, session, createsDialog);
        } catch (SipException | RuntimeException e) {
            if (session != null) {
                session.release(); // no call holds it yet
            }
            throw e;
        }
    }

    private Call register(
            ServerTransaction transaction,
            boolean fromPhone,
            Device lanDevice,
            MediaSession session,
            boolean createsDialog)
            throws SipException {
        Request request = transaction.getRequest();
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        Leg lan = new Leg(context.toPhone().side(), context.toPhone());
        Leg vpn = new Leg(context.toPbx().side(), context.toPbx());
        Call call = new Call(
                callId,
                lan,
                vpn,
                lanDevice,
                fromPhone,
                LegMessages.party((FromHeader) request.getHeader(FromHeader.NAME)),
                LegMessages.party((ToHeader) request.getHeader(ToHeader.NAME)),
                context.clock().instant(),
                session,
                createsDialog);
        Leg caller = call.caller();
        if (createsDialog) {
            caller.dialog = caller.side.provider().getNewDialog(transaction);
            caller.dialog.setApplicationData(call);
        }
        context.note(call, caller.party(), Call.BRIDGE, LegMessages.summary(request));
        if (session != null) {
            // The media relay calls back on its own thread; the call is ended on the SIP timer thread.
            session.onTimeout(why -> context.toPbx().execute(() -> {
                synchronized (call) {
                    ending.mediaTimedOut(call, why);
                }
            }));
        }
        transaction.setApplicationData(call);
        call.callerInvite = transaction;
        call.origin = Call.Origin.of(request);
        if (Request.INVITE.equals(request.getMethod())) {
            book.add(call);
        }
        return call;
    }

    /** The caller retried a challenged call with credentials: the call goes on with the new INVITE. */
    private boolean resume(Call call, ServerTransaction transaction) throws SipException {
        synchronized (call) {
            if (call.state() != CallState.CHALLENGED) {
                return false; // its retry window closed meanwhile: a new call
            }
            call.retryWindow.cancel(false);
            call.moveTo(CallState.INVITING);
            Request request = transaction.getRequest();
            Leg caller = call.caller();
            caller.dialog = caller.side.provider().getNewDialog(transaction);
            caller.dialog.setApplicationData(call);
            context.note(call, caller.party(), Call.BRIDGE, LegMessages.summary(request));
            transaction.setApplicationData(call);
            call.callerInvite = transaction;
            call.origin = Call.Origin.of(request);
            return true;
        }
    }

    /**
     * The caller got the callee's 401/407 (called under the call's lock): its retry with credentials, if any
     * comes within {@value #RETRY_WINDOW_T1}·T1, continues this call (as a retry of {@code challenged}, the
     * callee leg's INVITE that got it); otherwise the call ends.
     */
    void awaitRetry(Call call, Request challenged) {
        call.challengedInvite = challenged;
        call.callerInvite = null;
        call.calleeInvite = null;
        call.moveTo(CallState.CHALLENGED);
        call.retryWindow = context.toPhone()
                .schedule(
                        () -> {
                            synchronized (call) {
                                if (call.state() == CallState.CHALLENGED) {
                                    context.note(call, Call.BRIDGE, Call.BRIDGE, "no retry with credentials");
                                    ending.end(call);
                                }
                            }
                        },
                        (long) RETRY_WINDOW_T1 * context.toPhone().t1Ms());
    }

    /** Phone → PBX: the INVITE (or other request) to {@code server}, under the call's lock. */
    void toServer(Call call, ServerAddress server, Optional<Station> station, List<ServerAddress> tried) {
        tried.add(server);
        try {
            Request out = initialRequest(
                    call,
                    call.callerInvite.getRequest(),
                    null,
                    server,
                    context.serverTransport().get());
            sendCalleeInvite(
                    call,
                    out,
                    new CalleeAnswers(
                            context, this, early, messages, ending, call, Optional.of(server), station, tried));
        } catch (MediaUnavailableException e) {
            log.info("Call {}: media of the phone's offer refused: {}", LogText.bounded(call.id), e.getMessage());
            ending.tearDown(call, Response.NOT_ACCEPTABLE_HERE, "Not Acceptable Here");
        } catch (ParseException | InvalidArgumentException e) {
            ending.tearDown(call, Response.SERVER_INTERNAL_ERROR, e.getMessage());
        }
    }

    /** PBX → phone: the request to the phone contact of {@code binding}, under the call's lock. */
    void toPhone(Call call, ServerTransaction transaction, Binding binding) {
        try {
            URI target = context.sip().addresses().createURI(binding.phoneContact());
            Request out =
                    initialRequest(call, transaction.getRequest(), target, null, messages.phoneTransportFor(target));
            sendCalleeInvite(
                    call,
                    out,
                    new CalleeAnswers(
                            context,
                            this,
                            early,
                            messages,
                            ending,
                            call,
                            Optional.empty(),
                            Optional.empty(),
                            List.of()));
        } catch (MediaUnavailableException e) {
            log.info("Call {}: media of the PBX's offer refused: {}", LogText.bounded(call.id), e.getMessage());
            ending.tearDown(call, Response.NOT_ACCEPTABLE_HERE, "Not Acceptable Here");
        } catch (ParseException | InvalidArgumentException e) {
            ending.tearDown(
                    call, Response.SERVER_INTERNAL_ERROR, "Bridge could not relay the request: " + e.getMessage());
        } catch (RuntimeException e) {
            ending.failUnexpectedly(call, e);
        }
    }

    void sendCalleeInvite(Call call, Request out, CalleeAnswers answers) {
        Leg callee = call.callee();
        try {
            ClientTransaction transaction = callee.sender.newTransaction(out);
            if (call.createsDialog) {
                callee.dialog = callee.side.provider().getNewDialog(transaction);
                callee.dialog.setApplicationData(call);
            }
            callee.inviteCseq = ((CSeqHeader) out.getHeader(CSeqHeader.NAME)).getSeqNumber();
            call.calleeInvite = transaction;
            if (call.state() == CallState.FAILING_OVER) {
                call.moveTo(CallState.INVITING);
            }
            context.note(call, Call.BRIDGE, callee.party(), LegMessages.summary(out));
            callee.sender.send(transaction, null, answers);
        } catch (RequestTooLargeException e) {
            ending.tearDown(call, Response.MESSAGE_TOO_LARGE, "Message Too Large: the PBX takes no SIP over TCP");
        } catch (SipException e) {
            ending.tearDown(call, Response.SERVICE_UNAVAILABLE, "Could not reach the callee: " + e.getMessage());
        }
    }

    /**
     * The first INVITE on the callee leg: a new dialog (own Call-ID and tags), the bridge's Via and
     * Contact, and the caller's other headers. {@code server} is the PBX to route to (phone → PBX),
     * {@code target} the phone's contact (PBX → phone).
     */
    private Request initialRequest(Call call, Request in, URI target, ServerAddress server, Transport transport)
            throws ParseException, InvalidArgumentException, MediaUnavailableException {
        Leg callee = call.callee();
        URI requestUri =
                target != null ? (URI) target.clone() : (URI) in.getRequestURI().clone();
        if (server != null && requestUri instanceof SipURI uri && uri.getHost().equals(call.lan.side.address())) {
            uri.setHost(server.host());
            uri.setPort(server.port());
        }
        FromHeader from = (FromHeader) in.getHeader(FromHeader.NAME).clone();
        from.setTag(LegMessages.newTag());
        ToHeader to = (ToHeader) in.getHeader(ToHeader.NAME).clone();
        to.removeParameter("tag");
        int maxForwards = Math.max(0, Messages.nextMaxForwards(in));
        var sip = context.sip();
        CallIdHeader callId = callee.side.provider().getNewCallId();
        long cseq = ((CSeqHeader) in.getHeader(CSeqHeader.NAME)).getSeqNumber();
        Request challenged = call.challengedInvite;
        if (challenged != null) {
            // The caller's retry with credentials: to the callee the same request again (RFC 3261 §22.2, §8.1.3.5).
            call.challengedInvite = null;
            callId = (CallIdHeader) challenged.getHeader(CallIdHeader.NAME).clone();
            from.setTag(((FromHeader) challenged.getHeader(FromHeader.NAME)).getTag());
            cseq = ((CSeqHeader) challenged.getHeader(CSeqHeader.NAME)).getSeqNumber() + 1;
        }
        Request out = sip.messages()
                .createRequest(
                        requestUri,
                        in.getMethod(),
                        callId,
                        sip.headers().createCSeqHeader(cseq, in.getMethod()),
                        from,
                        to,
                        new ArrayList<>(List.of(messages.via(callee, transport))),
                        sip.headers().createMaxForwardsHeader(maxForwards));
        Messages.copyHeaders(in, out, Messages.PER_HOP, callee.side.hidden());
        out.addHeader(ContactParameters.copyFirst(
                in,
                messages.contact(
                        callee,
                        Messages.user(((FromHeader) in.getHeader(FromHeader.NAME))
                                .getAddress()
                                .getURI()),
                        transport),
                callee.side.hidden()));
        if (server != null) {
            out.addHeader(Hops.route(sip, server, transport));
        }
        messages.copyBody(call, in, out, call.other(callee));
        return out;
    }
}
