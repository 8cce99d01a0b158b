package org.sipbridge.sip.calls;

import gov.nist.javax.sip.stack.SIPServerTransaction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogState;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.RequireHeader;
import javax.sip.header.SupportedHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipbridge.config.ServerAddress;
import org.sipbridge.config.Station;
import org.sipbridge.config.Transport;
import org.sipbridge.config.media.MediaRelay;
import org.sipbridge.config.media.MediaSession;
import org.sipbridge.config.media.MediaUnavailableException;
import org.sipbridge.config.status.CallStatus;
import org.sipbridge.sip.ContactParameters;
import org.sipbridge.sip.Exchange;
import org.sipbridge.sip.Hops;
import org.sipbridge.sip.Messages;
import org.sipbridge.sip.Replies;
import org.sipbridge.sip.Sender;
import org.sipbridge.sip.registration.Binding;
import org.sipbridge.sip.identity.Admission;
import org.sipbridge.sip.identity.Device;
import org.sipbridge.sip.servers.RegistrationGroup;
import org.sipbridge.sip.stack.SipStackFactory.Factories;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls through the bridge, both ways, as a B2BUA: each call has a dialog with the phone and one
 * with the PBX (jain-sip keeps their CSeqs, route sets and 2xx retransmissions); every request and
 * response is rebuilt for the other leg, with the bridge's own Via, Contact and Call-ID, and every
 * SDP body goes through the media session.
 */
public final class CallRelay {

    private static final Logger log = LoggerFactory.getLogger(CallRelay.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int RECENT_CALLS = 50;
    /** More calls than a desk phone ever holds at once (lines × call waiting); beyond, a device is hoarding media ports. */
    static final int MAX_CALLS_PER_DEVICE = 8;
    /** The bridge itself in a call's timeline, between the phone and the PBX. */
    private static final String BRIDGE = "bridge";
    /** Requests whose Contact is a target refresh (RFC 3261 §12.2, RFC 3311, RFC 3515, RFC 6665). */
    /** Requests whose SDP is an offer (RFC 3264; RFC 3311 for UPDATE), unlike an ACK's or a response's answer. */
    private static final Set<String> OFFERS = Set.of(Request.INVITE, Request.UPDATE);
    private static final Set<String> TARGET_REFRESH = Set.of(Request.INVITE, Request.UPDATE, Request.SUBSCRIBE,
            Request.NOTIFY, Request.REFER);

    private final Factories sip;
    private final Sender toPhone;
    private final Sender toPbx;
    private final RegistrationGroup group;
    private final Admission admission;
    private final MediaRelay media;
    private final Supplier<Transport> serverTransport;
    private final Supplier<Transport> phoneTransport;
    private final Replies replies;
    private final Clock clock;
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final Deque<Call> recent = new ArrayDeque<>();

    public CallRelay(Factories sip, Sender toPhone, Sender toPbx, RegistrationGroup group, Admission admission,
                     MediaRelay media, Supplier<Transport> serverTransport,
                     Supplier<Transport> phoneTransport, Replies replies, Clock clock) {
        this.sip = sip;
        this.toPhone = toPhone;
        this.toPbx = toPbx;
        this.group = group;
        this.admission = admission;
        this.media = media;
        this.serverTransport = serverTransport;
        this.phoneTransport = phoneTransport;
        this.replies = replies;
        this.clock = clock;
    }

    // ---------------------------------------------------------------- new calls

    /**
     * A request without To tag from {@code device} on the LAN (INVITE, SUBSCRIBE, REFER, MESSAGE,
     * OPTIONS, INFO, NOTIFY, PUBLISH): relayed to the PBX only when the device holds a live binding of
     * the identity it claims, so no other device on the LAN can call as the phone (toll fraud).
     */
    public void fromPhone(RequestEvent event, Device device) throws SipException {
        Request request = event.getRequest();
        String user = Messages.user(((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI());
        if (!admission.admitsRequest(request, device)) {
            replies.send(event, Response.FORBIDDEN, Admission.REFUSAL);
            return;
        }
        Optional<Station> station = admission.stationFor(user);
        if (Request.INVITE.equals(request.getMethod()) && activeCallsOf(device) >= MAX_CALLS_PER_DEVICE) {
            log.info("Refused INVITE from {}: already {} calls", device, MAX_CALLS_PER_DEVICE);
            replies.send(event, Response.SERVICE_UNAVAILABLE, "Too many calls from this device");
            return;
        }
        Optional<ServerAddress> server = group.current();
        if (server.isEmpty()) {
            replies.send(event, Response.SERVICE_UNAVAILABLE, "No PBX server is reachable");
            return;
        }
        ServerTransaction transaction = replies.transactionOf(event);
        Call call = newCall(transaction, true, device);
        if (call == null) {
            return;
        }
        try {
            sendInitialInvite(call, server.get(), station, new ArrayList<>());
        } catch (RuntimeException e) {
            failUnexpectedly(call, e);
        }
    }

    /** A request without To tag from the PBX to a contact the bridge registered: relayed to the phone. */
    public void fromPbx(RequestEvent event, Binding binding) throws SipException {
        ServerTransaction transaction = replies.transactionOf(event);
        Call call = newCall(transaction, false, binding.device());
        if (call == null) {
            return;
        }
        try {
            URI target = sip.addresses().createURI(binding.phoneContact());
            Request out = initialRequest(call, transaction.getRequest(), target, null, phoneTransportFor(target));
            sendCalleeInvite(call, out, new CalleeAnswers(call, Optional.empty(), Optional.empty(), List.of()));
        } catch (MediaUnavailableException e) {
            log.info("Call {}: media of the PBX's offer refused: {}", call.id, e.getMessage());
            fail(call, Response.NOT_ACCEPTABLE_HERE, "Not Acceptable Here");
        } catch (ParseException | InvalidArgumentException e) {
            fail(call, Response.SERVER_INTERNAL_ERROR, "Bridge could not relay the request: " + e.getMessage());
        } catch (RuntimeException e) {
            failUnexpectedly(call, e);
        }
    }

    /**
     * The stack refused something about a new call after its media was allocated (a fuzzed CSeq, a
     * header it will not build): answer 500 and free the call, or its ports would leak.
     */
    private void failUnexpectedly(Call call, RuntimeException e) {
        log.info("Call {} failed: {}", call.id, e.toString());
        log.debug("Failure details", e);
        fail(call, Response.SERVER_INTERNAL_ERROR, "Bridge could not relay the request");
    }

    private long activeCallsOf(Device device) {
        return calls.values().stream().filter(c -> c.lanDevice.isSameAs(device)).count();
    }

    private Call newCall(ServerTransaction transaction, boolean fromPhone, Device lanDevice) throws SipException {
        Request request = transaction.getRequest();
        String method = request.getMethod();
        boolean invite = Request.INVITE.equals(method);
        boolean createsDialog = invite || Request.SUBSCRIBE.equals(method) || Request.REFER.equals(method);
        if (invite) {
            sendProvisional(transaction, Response.TRYING);
        }
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        MediaSession session = null;
        if (invite) {
            try {
                session = media.allocate(callId);
            } catch (MediaUnavailableException e) {
                log.warn("No media for call {}: {}", callId, e.getMessage());
                answer(transaction, Response.SERVICE_UNAVAILABLE, "No media ports available");
                return null;
            }
        }
        try {
            return registerCall(transaction, fromPhone, lanDevice, session, createsDialog);
        } catch (SipException | RuntimeException e) {
            if (session != null) {
                session.release(); // no call holds it yet
            }
            throw e;
        }
    }

    private Call registerCall(ServerTransaction transaction, boolean fromPhone, Device lanDevice, MediaSession session,
                              boolean createsDialog) throws SipException {
        Request request = transaction.getRequest();
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        boolean invite = Request.INVITE.equals(request.getMethod());
        Leg lan = new Leg(toPhone.side(), toPhone);
        Leg vpn = new Leg(toPbx.side(), toPbx);
        Call call = new Call(callId, lan, vpn, lanDevice, fromPhone, party((FromHeader) request.getHeader(FromHeader.NAME)),
                party((ToHeader) request.getHeader(ToHeader.NAME)), clock.instant(), session, createsDialog);
        Leg caller = call.caller();
        if (createsDialog) {
            caller.dialog = caller.side.provider().getNewDialog(transaction);
            caller.dialog.setApplicationData(call);
        }
        call.note(clock, caller.party(), BRIDGE, summary(request));
        if (session != null) {
            // The media relay calls back on its own thread; the call is ended on the SIP timer thread.
            session.onTimeout(why -> toPbx.execute(() -> mediaTimedOut(call, why)));
        }
        transaction.setApplicationData(call);
        call.callerInvite = transaction;
        if (invite) {
            calls.put(callId, call);
        }
        return call;
    }

    private void sendInitialInvite(Call call, ServerAddress server, Optional<Station> station, List<ServerAddress> tried) {
        tried.add(server);
        try {
            Request out = initialRequest(call, call.callerInvite.getRequest(), null, server, serverTransport.get());
            sendCalleeInvite(call, out, new CalleeAnswers(call, Optional.of(server), station, tried));
        } catch (MediaUnavailableException e) {
            log.info("Call {}: media of the phone's offer refused: {}", call.id, e.getMessage());
            fail(call, Response.NOT_ACCEPTABLE_HERE, "Not Acceptable Here");
        } catch (ParseException | InvalidArgumentException e) {
            fail(call, Response.SERVER_INTERNAL_ERROR, e.getMessage());
        }
    }

    private void sendCalleeInvite(Call call, Request out, CalleeAnswers answers) {
        Leg callee = call.callee();
        try {
            ClientTransaction transaction = callee.sender.newTransaction(out);
            if (call.createsDialog) {
                callee.dialog = callee.side.provider().getNewDialog(transaction);
                callee.dialog.setApplicationData(call);
            }
            callee.inviteCseq = ((CSeqHeader) out.getHeader(CSeqHeader.NAME)).getSeqNumber();
            call.calleeInvite = transaction;
            call.note(clock, BRIDGE, callee.party(), summary(out));
            callee.sender.send(transaction, null, answers);
        } catch (SipException e) {
            fail(call, Response.SERVICE_UNAVAILABLE, "Could not reach the callee: " + e.getMessage());
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
        URI requestUri = target != null ? (URI) target.clone() : (URI) in.getRequestURI().clone();
        if (server != null && requestUri instanceof SipURI uri && uri.getHost().equals(call.lan.side.address())) {
            uri.setHost(server.host());
            uri.setPort(server.port());
        }
        FromHeader from = (FromHeader) in.getHeader(FromHeader.NAME).clone();
        from.setTag(newTag());
        ToHeader to = (ToHeader) in.getHeader(ToHeader.NAME).clone();
        to.removeParameter("tag");
        int maxForwards = Math.max(0, Messages.nextMaxForwards(in));
        Request out = sip.messages().createRequest(requestUri, in.getMethod(),
                callee.side.provider().getNewCallId(),
                sip.headers().createCSeqHeader(((CSeqHeader) in.getHeader(CSeqHeader.NAME)).getSeqNumber(), in.getMethod()),
                from, to, new ArrayList<>(List.of(via(callee, transport))), sip.headers().createMaxForwardsHeader(maxForwards));
        Messages.copyHeaders(in, out, Messages.PER_HOP, callee.side.hidden());
        out.addHeader(ContactParameters.copyFirst(in, contact(callee,
                Messages.user(((FromHeader) in.getHeader(FromHeader.NAME)).getAddress().getURI()), transport), callee.side.hidden()));
        if (server != null) {
            out.addHeader(Hops.route(sip, server, transport));
        }
        copyBody(call, in, out, call.other(callee));
        return out;
    }

    /** The callee's answers to the bridge's first INVITE, relayed to the caller. */
    private final class CalleeAnswers implements Exchange {
        private final Call call;
        private final Optional<ServerAddress> server;
        private final Optional<Station> station;
        private final List<ServerAddress> tried;
        private boolean provisional;
        private boolean answeredChallenge;

        CalleeAnswers(Call call, Optional<ServerAddress> server, Optional<Station> station, List<ServerAddress> tried) {
            this.call = call;
            this.server = server;
            this.station = station;
            this.tried = tried;
        }

        @Override
        public void onResponse(Response response, ClientTransaction transaction) {
            int status = response.getStatusCode();
            call.note(clock, call.callee().party(), BRIDGE, summary(response));
            server.ifPresent(group::answered);
            ServerTransaction pending = call.callerInvite;
            if (status >= 200 && call.fromPhone && station.isEmpty() && pending != null) {
                admission.answered(call.lanDevice, pending.getRequest(), response);
            }
            try {
                if (status == Response.TRYING) {
                    return;
                }
                if (status < 200) {
                    provisional = true;
                    if (isReliable(response)) {
                        prack(call, call.callee(), response);
                    }
                    if (!call.canceled) {
                        call.state = Call.State.RINGING;
                        relayProvisional(call, call.caller(), call.callerInvite, response);
                    }
                    return;
                }
                call.calleeInvite = null;
                if (status < 300) {
                    answered(call, response);
                } else if ((status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED)
                        && station.isPresent() && !answeredChallenge) {
                    retryWithCredentials(transaction, response);
                } else if (status >= 500 && !provisional && server.isPresent()
                        && failOver(status + " " + response.getReasonPhrase(), status == Response.SERVICE_UNAVAILABLE)) {
                    return;
                } else {
                    ServerTransaction callerInvite = call.callerInvite;
                    end(call);
                    relayResponse(call, call.caller(), callerInvite, response);
                }
            } catch (ParseException | SipException | InvalidArgumentException | MediaUnavailableException | RuntimeException e) {
                log.warn("Could not relay {} for call {}", status, call.id, e);
                fail(call, Response.SERVER_INTERNAL_ERROR, "Bridge could not relay the answer");
            }
        }

        @Override
        public void onNoAnswer(ClientTransaction transaction, String why) {
            call.note(clock, call.callee().party(), BRIDGE, "no answer: " + why);
            call.calleeInvite = null;
            if (server.isPresent() && !provisional && failOver(why, true)) {
                return;
            }
            fail(call, Response.REQUEST_TIMEOUT, call.fromPhone ? "No answer from the PBX" : "No answer from the phone");
        }

        /**
         * Tries the call on the next server. Only silence and 503 (RFC 3261 §21.5.4: the server is
         * overloaded or down) mark the server down for everyone; another 5xx is about this call, so
         * the server stays current for the rest.
         */
        private boolean failOver(String why, boolean serverMayBeDown) {
            if (serverMayBeDown) {
                group.suspect(server.get(), why);
            }
            Optional<ServerAddress> next = group.after(server.get()).filter(s -> !tried.contains(s));
            if (next.isEmpty() || call.canceled) {
                return false;
            }
            log.info("Call {}: failing over from {} to {} ({})", call.id, server.get(), next.get(), why);
            sendInitialInvite(call, next.get(), station, tried);
            return true;
        }

        private void retryWithCredentials(ClientTransaction failed, Response challenge)
                throws ParseException, InvalidArgumentException, SipException, MediaUnavailableException {
            Request retry = (Request) failed.getRequest().clone();
            retry.removeHeader(ViaHeader.NAME);
            retry.addHeader(via(call.callee(), serverTransport.get()));
            ((FromHeader) retry.getHeader(FromHeader.NAME)).setTag(newTag());
            CSeqHeader cseq = (CSeqHeader) retry.getHeader(CSeqHeader.NAME);
            cseq.setSeqNumber(cseq.getSeqNumber() + 1);
            if (!admission.stations().authorize(retry, challenge, station.get())) {
                relayResponse(call, call.caller(), call.callerInvite, challenge);
                end(call);
                return;
            }
            answeredChallenge = true;
            sendCalleeInvite(call, retry, this);
        }
    }

    private void answered(Call call, Response response) throws ParseException, SipException, InvalidArgumentException,
            MediaUnavailableException {
        Leg callee = call.callee();
        if (call.canceled) {
            // CANCEL lost the race with the 200: confirm and end the callee's dialog at once.
            Dialog dialog = callee.dialog;
            dialog.sendAck(dialog.createAck(callee.inviteCseq));
            sendBye(call, callee);
            answerCaller(call, Response.REQUEST_TERMINATED, "Request Terminated");
            end(call);
            return;
        }
        call.state = Call.State.ANSWERED;
        call.answered = clock.instant();
        ServerTransaction callerInvite = call.callerInvite;
        call.callerInvite = null;
        if (!call.isCall() && !call.createsDialog) {
            end(call);
        }
        relayResponse(call, call.caller(), callerInvite, response);
    }

    // ---------------------------------------------------------------- within dialogs

    /**
     * A request with a To tag on side {@code sideName}: goes to the other leg of its call. From the
     * LAN, only the call's own device may send it ({@code device}; null for the PBX side): knowing a
     * dialog's Call-ID and tags must not let another device hang up, transfer or re-route a call.
     */
    public void inDialog(RequestEvent event, String sideName, Device device) throws SipException {
        Dialog dialog = event.getDialog();
        Call call = dialog == null ? null : (Call) dialog.getApplicationData();
        Request request = event.getRequest();
        if (call == null) {
            replies.send(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null);
            return;
        }
        if (!isCallsOwnDevice(call, device)) {
            log.info("Refused {} in call {} from {}: not the call's device", request.getMethod(), call.id, device);
            replies.send(event, Response.FORBIDDEN, Admission.REFUSAL);
            return;
        }
        Leg from = call.legOn(sideName);
        Leg to = call.other(from);
        call.note(clock, from.party(), BRIDGE, summary(request));
        if (Request.ACK.equals(request.getMethod())) {
            forwardAck(call, to, request);
            return;
        }
        ServerTransaction transaction = replies.transactionOf(event);
        if (Request.PRACK.equals(request.getMethod())) {
            // Reliable provisional responses are acknowledged leg by leg (see relayProvisional).
            answer(transaction, Response.OK, null);
            return;
        }
        Dialog outDialog = to.dialog;
        if (outDialog == null || outDialog.getState() == DialogState.TERMINATED) {
            answer(transaction, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null);
            return;
        }
        boolean offerRelayed = false;
        try {
            Request out = outDialog.createRequest(request.getMethod());
            Messages.copyHeaders(request, out, Messages.PER_HOP, to.side.hidden());
            if (TARGET_REFRESH.contains(request.getMethod())) {
                out.removeHeader(ContactHeader.NAME);
                out.addHeader(ContactParameters.copyFirst(request, contact(to,
                        Messages.user(((FromHeader) out.getHeader(FromHeader.NAME)).getAddress().getURI()), transportOf(to)),
                        to.side.hidden()));
            }
            String method = request.getMethod();
            // RFC 3264 §8: SDP in a re-INVITE or UPDATE is an offer; if the other side refuses it, it never happened
            boolean offer = copyBody(call, request, out, from) && OFFERS.contains(method);
            offerRelayed = offer;
            ClientTransaction outTransaction = to.sender.newTransaction(out);
            call.note(clock, BRIDGE, to.party(), summary(out));
            to.sender.send(outTransaction, outDialog, new Exchange() {
                @Override
                public void onResponse(Response response, ClientTransaction sent) {
                    if (Request.INVITE.equals(method)) {
                        to.inviteCseq = ((CSeqHeader) sent.getRequest().getHeader(CSeqHeader.NAME)).getSeqNumber();
                    }
                    if (response.getStatusCode() == Response.TRYING) {
                        return;
                    }
                    call.note(clock, to.party(), BRIDGE, summary(response));
                    if (Request.BYE.equals(method) && response.getStatusCode() >= 200) {
                        end(call);
                    }
                    if (offer && response.getStatusCode() >= 300) {
                        offerRejected(call, from);
                    }
                    try {
                        relayResponse(call, from, transaction, response);
                    } catch (ParseException | SipException | InvalidArgumentException | MediaUnavailableException e) {
                        log.warn("Could not relay {} to {} of call {}", response.getStatusCode(), method, call.id, e);
                        answer(transaction, Response.SERVER_INTERNAL_ERROR, null);
                    }
                }

                @Override
                public void onNoAnswer(ClientTransaction sent, String why) {
                    call.note(clock, to.party(), BRIDGE, "no answer to " + method + ": " + why);
                    if (Request.BYE.equals(method)) {
                        end(call);
                    }
                    if (offer) {
                        offerRejected(call, from);
                    }
                    answer(transaction, Request.BYE.equals(method) ? Response.OK : Response.REQUEST_TIMEOUT, null);
                }
            });
        } catch (ParseException | MediaUnavailableException | SipException e) {
            log.warn("Could not relay {} in call {}", request.getMethod(), call.id, e);
            if (offerRelayed) {
                offerRejected(call, from);
            }
            answer(transaction, e instanceof MediaUnavailableException ? Response.NOT_ACCEPTABLE_HERE
                    : Response.SERVER_INTERNAL_ERROR, null);
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
            copyBody(call, ack, out, call.other(to));
            call.note(clock, BRIDGE, to.party(), summary(out));
            dialog.sendAck(out);
        } catch (ParseException | InvalidArgumentException | MediaUnavailableException | SipException e) {
            log.warn("Could not relay the ACK of call {}", call.id, e);
        }
    }

    /** CANCEL of a pending INVITE on side {@code sideName}. */
    public void cancel(RequestEvent event, Device device) throws SipException {
        ServerTransaction transaction = replies.transactionOf(event);
        SIPServerTransaction invite = ((SIPServerTransaction) transaction).getCanceledInviteTransaction();
        Call call = invite == null ? null : (Call) invite.getApplicationData();
        if (call != null && !isCallsOwnDevice(call, device)) {
            log.info("Refused CANCEL of call {} from {}: not the call's device", call.id, device);
            answer(transaction, Response.FORBIDDEN, Admission.REFUSAL);
            return;
        }
        answer(transaction, Response.OK, null);
        if (call == null || call.callerInvite == null) {
            return;
        }
        call.canceled = true;
        call.note(clock, call.caller().party(), BRIDGE, Request.CANCEL);
        ClientTransaction pending = call.calleeInvite;
        if (pending == null) {
            answerCaller(call, Response.REQUEST_TERMINATED, "Request Terminated");
            end(call);
            return;
        }
        try {
            Request cancel = pending.createCancel();
            call.callee().side.provider().getNewClientTransaction(cancel).sendRequest();
            call.note(clock, BRIDGE, call.callee().party(), Request.CANCEL);
        } catch (SipException e) {
            log.warn("Could not cancel the callee leg of call {}", call.id, e);
            answerCaller(call, Response.REQUEST_TERMINATED, "Request Terminated");
            end(call);
        }
    }

    /** True for requests from the PBX side ({@code device} null) and from the address of the call's LAN device. */
    private static boolean isCallsOwnDevice(Call call, Device device) {
        return device == null || call.lanDevice.ip().equals(device.ip());
    }

    /**
     * The media relay ended the call's session (no media for its limit, or held too long): end the
     * call on both legs (BYE where answered, CANCEL and 480 where not), so that nothing stays half open.
     */
    private void mediaTimedOut(Call call, String why) {
        if (call.state == Call.State.ENDED) {
            return;
        }
        log.info("Call {} ends: {}", call.id, why);
        call.note(clock, BRIDGE, BRIDGE, "media timed out: " + why);
        if (call.state == Call.State.ANSWERED) {
            end(call);
            for (Leg leg : List.of(call.caller(), call.callee())) {
                if (leg.dialog != null && leg.dialog.getState() == DialogState.CONFIRMED) {
                    sendBye(call, leg);
                }
            }
            return;
        } else {
            ClientTransaction pending = call.calleeInvite;
            if (pending != null) {
                try {
                    call.callee().side.provider().getNewClientTransaction(pending.createCancel()).sendRequest();
                } catch (SipException e) {
                    log.debug("Could not cancel the callee leg of call {}", call.id, e);
                }
            }
            answerCaller(call, Response.TEMPORARILY_UNAVAILABLE, "Media timed out");
        }
        end(call);
    }

    // ---------------------------------------------------------------- building blocks

    /**
     * RFC 3262 leg by leg: the bridge PRACKs the callee's reliable provisional responses itself, and
     * sends the caller a reliable one (answering its PRACK locally) only if the caller supports
     * 100rel; otherwise the caller gets an ordinary provisional response.
     */
    private void relayProvisional(Call call, Leg to, ServerTransaction transaction, Response in)
            throws ParseException, SipException, InvalidArgumentException, MediaUnavailableException {
        if (transaction == null) {
            return;
        }
        if (!supports100rel(transaction.getRequest()) || to.dialog == null) {
            Response copy = (Response) in.clone();
            copy.removeHeader(RSEQ);
            stripOption(copy, RequireHeader.NAME, "100rel");
            relayResponse(call, to, transaction, copy);
            return;
        }
        if (!isReliable(in)) {
            relayResponse(call, to, transaction, in);
            return;
        }
        Response out = to.dialog.createReliableProvisionalResponse(in.getStatusCode());
        out.setReasonPhrase(in.getReasonPhrase());
        ToHeader toHeader = (ToHeader) out.getHeader(ToHeader.NAME);
        if (toHeader.getTag() == null) {
            toHeader.setTag(to.dialog.getLocalTag() != null ? to.dialog.getLocalTag() : newTag());
        }
        Messages.copyHeaders(in, out, union(Messages.PER_HOP, Set.of("rseq", "require")), to.side.hidden());
        if (in.getHeader(ContactHeader.NAME) != null) {
            out.removeHeader(ContactHeader.NAME);
            out.addHeader(ContactParameters.copyFirst(in, contact(to,
                    Messages.user(((ToHeader) out.getHeader(ToHeader.NAME)).getAddress().getURI()), transportOf(to)), to.side.hidden()));
        }
        copyBody(call, in, out, call.other(to));
        call.note(clock, BRIDGE, to.party(), summary(out) + " (reliable)");
        to.dialog.sendReliableProvisionalResponse(out);
    }

    private void prack(Call call, Leg leg, Response reliable) {
        try {
            sendOwn(call, leg, leg.dialog.createPrack(reliable));
        } catch (SipException e) {
            log.warn("Could not PRACK the {} leg of call {}", leg.side.name(), call.id, e);
        }
    }

    /**
     * Sends a request the bridge makes itself in a leg's dialog (PRACK, the BYE that ends a call lost
     * to a CANCEL): nothing is relayed back, whatever the answer.
     */
    private void sendOwn(Call call, Leg leg, Request request) throws SipException {
        ClientTransaction transaction = leg.sender.newTransaction(request);
        call.note(clock, BRIDGE, leg.party(), summary(request));
        leg.sender.send(transaction, leg.dialog, new Exchange() {
            @Override
            public void onResponse(Response response, ClientTransaction sent) {
                // The other leg has its own transaction; nothing to relay.
            }

            @Override
            public void onNoAnswer(ClientTransaction sent, String why) {
                log.info("{} of call {} unanswered: {}", request.getMethod(), call.id, why);
            }
        });
    }

    private static final String RSEQ = "RSeq";

    private static boolean isReliable(Response response) {
        return response.getStatusCode() > 100 && response.getStatusCode() < 200 && response.getHeader(RSEQ) != null
                && hasOption(response, RequireHeader.NAME, "100rel");
    }

    private static boolean supports100rel(Request request) {
        return hasOption(request, SupportedHeader.NAME, "100rel") || hasOption(request, RequireHeader.NAME, "100rel");
    }

    private static boolean hasOption(Message message, String header, String option) {
        for (java.util.ListIterator<?> it = message.getHeaders(header); it.hasNext(); ) {
            Object value = it.next();
            String tag = value instanceof javax.sip.header.OptionTag t ? t.getOptionTag() : value.toString();
            if (tag == null) {
                continue; // "Supported:" with no option tags (RFC 3261 allows it)
            }
            for (String part : tag.split(",")) {
                if (part.trim().equalsIgnoreCase(option)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void stripOption(Message message, String header, String option) {
        List<javax.sip.header.Header> keep = new ArrayList<>();
        for (java.util.ListIterator<?> it = message.getHeaders(header); it.hasNext(); ) {
            javax.sip.header.Header value = (javax.sip.header.Header) it.next();
            if (!(value instanceof javax.sip.header.OptionTag t && option.equalsIgnoreCase(t.getOptionTag()))) {
                keep.add(value);
            }
        }
        message.removeHeader(header);
        keep.forEach(message::addHeader);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    /** Relays a response of the other leg to {@code transaction} on {@code to}'s side. */
    private void relayResponse(Call call, Leg to, ServerTransaction transaction, Response in)
            throws ParseException, SipException, InvalidArgumentException, MediaUnavailableException {
        if (transaction == null) {
            return;
        }
        Response out = sip.messages().createResponse(in.getStatusCode(), transaction.getRequest());
        out.setReasonPhrase(in.getReasonPhrase());
        Messages.copyHeaders(in, out, Messages.PER_HOP, to.side.hidden());
        ToHeader toHeader = (ToHeader) out.getHeader(ToHeader.NAME);
        if (toHeader.getTag() == null) {
            toHeader.setTag(to.dialog != null && to.dialog.getLocalTag() != null ? to.dialog.getLocalTag() : newTag());
        }
        String method = transaction.getRequest().getMethod();
        if (in.getHeader(ContactHeader.NAME) != null && TARGET_REFRESH.contains(method)) {
            out.addHeader(ContactParameters.copyFirst(in, contact(to, Messages.user(toHeader.getAddress().getURI()),
                    transportOf(to)), to.side.hidden()));
        }
        copyBody(call, in, out, call.other(to));
        call.note(clock, BRIDGE, to.party(), summary(out));
        transaction.sendResponse(out);
    }

    /**
     * Copies the body, rewriting SDP for the leg it goes to ({@code from} is where it came from). True when it
     * was SDP the media session took in.
     */
    private boolean copyBody(Call call, Message in, Message out, Leg from) throws ParseException, MediaUnavailableException {
        byte[] raw = in.getRawContent();
        if (raw == null || raw.length == 0) {
            return false;
        }
        ContentTypeHeader type = (ContentTypeHeader) in.getHeader(ContentTypeHeader.NAME);
        if (type == null) {
            type = sip.headers().createContentTypeHeader("application", "octet-stream");
        }
        out.removeHeader(ContentTypeHeader.NAME);
        if (call.isCall() && "application".equalsIgnoreCase(type.getContentType())
                && "sdp".equalsIgnoreCase(type.getContentSubType())) {
            String sdp = new String(raw, StandardCharsets.UTF_8);
            String rewritten = from.isLan() ? call.media.fromLan(sdp) : call.media.fromVpn(sdp);
            out.setContent(rewritten.getBytes(StandardCharsets.UTF_8), (ContentTypeHeader) type.clone());
            return true;
        }
        out.setContent(raw, (ContentTypeHeader) type.clone());
        return false;
    }

    /** The other side refused (or never answered) the offer {@code from} made: the media goes back as it was. */
    private void offerRejected(Call call, Leg from) {
        call.note(clock, BRIDGE, BRIDGE, "offer from the " + from.party() + " refused: media as before it");
        if (from.isLan()) {
            call.media.lanOfferRejected();
        } else {
            call.media.vpnOfferRejected();
        }
    }

    private void sendBye(Call call, Leg leg) {
        try {
            sendOwn(call, leg, leg.dialog.createRequest(Request.BYE));
        } catch (SipException e) {
            log.warn("Could not end the {} leg of call {}", leg.side.name(), call.id, e);
        }
    }

    /** Ends the call (its media freed) before the caller hears why, so nothing is left once the answer is out. */
    private void fail(Call call, int status, String reason) {
        ServerTransaction callerInvite = call.callerInvite;
        end(call);
        if (callerInvite != null) {
            call.note(clock, BRIDGE, call.caller().party(), status + " " + reason);
            answer(callerInvite, status, reason);
        }
    }

    /** The bridge's own final answer to the caller's pending INVITE. */
    private void answerCaller(Call call, int status, String reason) {
        ServerTransaction callerInvite = call.callerInvite;
        if (callerInvite != null) {
            call.note(clock, BRIDGE, call.caller().party(), status + " " + reason);
            answer(callerInvite, status, reason);
        }
    }

    private void end(Call call) {
        if (call.state == Call.State.ENDED) {
            return;
        }
        call.state = Call.State.ENDED;
        call.ended = clock.instant();
        call.callerInvite = null;
        if (!call.isCall()) {
            return;
        }
        call.media.release();
        calls.remove(call.id);
        synchronized (recent) {
            recent.addFirst(call);
            while (recent.size() > RECENT_CALLS) {
                recent.removeLast();
            }
        }
        log.info("Call {} ended", call.id);
    }

    private void answer(ServerTransaction transaction, int status, String reason) {
        try {
            Response response = sip.messages().createResponse(status, transaction.getRequest());
            if (reason != null) {
                response.setReasonPhrase(reason);
            }
            ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
            if (to.getTag() == null && status > 100) {
                to.setTag(transaction.getDialog() != null && transaction.getDialog().getLocalTag() != null
                        ? transaction.getDialog().getLocalTag() : newTag());
            }
            transaction.sendResponse(response);
        } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
            log.debug("Could not answer with {}", status, e);
        }
    }

    private void sendProvisional(ServerTransaction transaction, int status) {
        answer(transaction, status, null);
    }

    private ViaHeader via(Leg leg, Transport transport) throws ParseException, InvalidArgumentException {
        return Hops.via(sip, leg.side, transport);
    }

    private ContactHeader contact(Leg leg, String user, Transport transport) throws ParseException {
        SipURI uri = sip.addresses().createSipURI(user == null || user.isEmpty() ? null : user, leg.side.address());
        uri.setPort(leg.side.port(transport));
        if (transport != Transport.UDP) {
            uri.setTransportParam(transport.key());
        }
        return sip.headers().createContactHeader(sip.addresses().createAddress(uri));
    }

    private Transport transportOf(Leg leg) {
        return leg.isLan() ? phoneTransport.get() : serverTransport.get();
    }

    /** The transport toward the phone: its contact's transport parameter, else the configured one. */
    private Transport phoneTransportFor(URI contact) {
        if (contact instanceof SipURI uri && uri.getTransportParam() != null) {
            try {
                Transport transport = Transport.fromKey(uri.getTransportParam());
                if (toPhone.side().supports(transport)) {
                    return transport;
                }
            } catch (IllegalArgumentException e) {
                // fall through to the configured transport
            }
        }
        return phoneTransport.get();
    }

    private static String newTag() {
        return Long.toHexString(RANDOM.nextLong());
    }

    /** A timeline line: the method or status, and whether it carried SDP. */
    private static String summary(Message message) {
        String what = message instanceof Response response ? response.getStatusCode() + " " + response.getReasonPhrase()
                : ((Request) message).getMethod();
        byte[] body = message.getRawContent();
        return body != null && body.length > 0 && message.getHeader(ContentTypeHeader.NAME) instanceof ContentTypeHeader type
                && "sdp".equalsIgnoreCase(type.getContentSubType()) ? what + " (SDP)" : what;
    }

    private static String party(javax.sip.header.HeaderAddress header) {
        Address address = header.getAddress();
        String display = address.getDisplayName();
        return display != null && !display.isBlank() ? display : Messages.user(address.getURI());
    }

    // ---------------------------------------------------------------- status

    /** Active calls, longest first, then recently ended ones. */
    public List<CallStatus> calls() {
        List<CallStatus> list = new ArrayList<>();
        calls.values().stream().sorted((a, b) -> a.started.compareTo(b.started)).map(CallRelay::status).forEach(list::add);
        synchronized (recent) {
            recent.stream().map(CallRelay::status).forEach(list::add);
        }
        return list;
    }

    public int activeCalls() {
        return calls.size();
    }

    private static CallStatus status(Call call) {
        return new CallStatus(call.id, call.from, call.to, call.fromPhone, call.state.name(), call.started, call.answered,
                call.ended, call.timeline());
    }
}
