package org.sipbridge.sip.calls;

import gov.nist.javax.sip.stack.SIPServerTransaction;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipbridge.config.ServerAddress;
import org.sipbridge.config.Station;
import org.sipbridge.config.Transport;
import org.sipbridge.contract.LogText;
import org.sipbridge.contract.media.MediaRelay;
import org.sipbridge.contract.status.CallStatus;
import org.sipbridge.sip.Messages;
import org.sipbridge.sip.Replies;
import org.sipbridge.sip.Sender;
import org.sipbridge.sip.identity.Admission;
import org.sipbridge.sip.identity.Device;
import org.sipbridge.sip.registration.Binding;
import org.sipbridge.sip.registration.BindingTable;
import org.sipbridge.sip.servers.RegistrationGroup;
import org.sipbridge.sip.stack.SipStackFactory.Factories;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls through the bridge, both ways, as a B2BUA: each call has a dialog with the phone and one
 * with the PBX (jain-sip keeps their CSeqs, route sets and 2xx retransmissions); every request and
 * response is rebuilt for the other leg, with the bridge's own Via, Contact and Call-ID, and every
 * SDP body goes through the media session.
 *
 * <p>This class is the entry point from the listener; the work is split by concern: {@link CallAdmission}
 * (which new INVITEs start a call), {@link CallSetup} and {@link CalleeAnswers} (the callee leg, failover,
 * credentials), {@link EarlyDialog} (100rel), {@link InDialogRelay}, {@link CallCancelling},
 * {@link CallEnding} (teardown) and {@link CallBook} (history). Every event of a call runs under the
 * call's lock (see the module README).
 */
public final class CallRelay {

    private static final Logger log = LoggerFactory.getLogger(CallRelay.class);

    private final CallContext context;
    private final CallBook book = new CallBook();
    private final LegMessages messages;
    private final CallAdmission admission;
    private final CallEnding ending;
    private final CallSetup setup;
    private final InDialogRelay inDialog;
    private final CallCancelling cancelling;
    private final PbxReinvites reinvites;
    /** Whether the bridge's PBX-side (VPN) address is on this computer now; false while the VPN is down. */
    private final BooleanSupplier vpnUp;

    private CallRelay(CallContext context, BooleanSupplier vpnUp) {
        this.context = context;
        this.vpnUp = vpnUp;
        this.messages = new LegMessages(context);
        this.admission = new CallAdmission(context, book);
        this.ending = new CallEnding(context, messages, book);
        this.setup = new CallSetup(context, messages, new EarlyDialog(context, messages), ending, book);
        this.inDialog = new InDialogRelay(context, messages, ending);
        this.cancelling = new CallCancelling(context, messages, ending);
        this.reinvites = new PbxReinvites(context, messages, new PbxReoffer(context, messages), new java.util.Random());
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- new calls

    /**
     * A request without To tag from {@code device} on the LAN (INVITE, SUBSCRIBE, REFER, MESSAGE,
     * OPTIONS, INFO, NOTIFY, PUBLISH): relayed to the PBX only when the device holds a live binding of
     * the identity it claims, so no other device on the LAN can call as the phone (toll fraud).
     */
    public void fromPhone(RequestEvent event, Device device) throws SipException {
        Request request = event.getRequest();
        String user = Messages.user(
                ((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI());
        if (!context.admission().admitsRequest(request, device)) {
            context.replies().send(event, Response.FORBIDDEN, Admission.REFUSAL);
            return;
        }
        Optional<Station> station = context.admission().stationFor(user);
        if (admission.refusedAsMergedCopy(event, device)) {
            return;
        }
        Call retried = admission.challengedCallRetriedBy(request, device);
        if (retried == null && Request.INVITE.equals(request.getMethod()) && admission.isFull(device)) {
            log.info("Refused INVITE from {}: already {} calls", device, CallAdmission.MAX_CALLS_PER_DEVICE);
            context.replies().send(event, Response.SERVICE_UNAVAILABLE, "Too many calls from this device");
            return;
        }
        if (!vpnUp.getAsBoolean()) {
            // The relays keep their sockets through a VPN drop so calls in progress resume when it returns,
            // but a new request has no way to the PBX now: say why at once instead of letting it time out.
            log.info("Refused {} from {}: the VPN is down", request.getMethod(), device);
            context.replies().send(event, Response.SERVICE_UNAVAILABLE, "VPN is down");
            return;
        }
        Optional<ServerAddress> server = context.group().current();
        if (server.isEmpty()) {
            context.replies().send(event, Response.SERVICE_UNAVAILABLE, "No PBX server is reachable");
            return;
        }
        ServerTransaction transaction = context.replies().transactionOf(event);
        Call call = setup.newCall(transaction, true, device, retried);
        if (call == null) {
            return;
        }
        synchronized (call) {
            try {
                setup.toServer(call, server.get(), station, new ArrayList<>());
            } catch (RuntimeException e) {
                ending.failUnexpectedly(call, e);
            }
        }
    }

    /** A request without To tag from the PBX to a contact the bridge registered: relayed to the phone. */
    public void fromPbx(RequestEvent event, Binding binding) throws SipException {
        if (admission.refusedAsMergedCopy(event, binding.device())) {
            return;
        }
        Call retried = admission.challengedCallRetriedBy(event.getRequest(), null);
        ServerTransaction transaction = context.replies().transactionOf(event);
        Call call = setup.newCall(transaction, false, binding.device(), retried);
        if (call == null) {
            return;
        }
        synchronized (call) {
            setup.toPhone(call, transaction, binding);
        }
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
            context.replies().send(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null);
            return;
        }
        if (!call.isOwnDevice(device)) {
            log.info(
                    "Refused {} in call {} from {}: not the call's device",
                    request.getMethod(),
                    LogText.bounded(call.id),
                    device);
            context.replies().send(event, Response.FORBIDDEN, Admission.REFUSAL);
            return;
        }
        synchronized (call) {
            inDialog.relay(event, call, call.legOn(sideName));
        }
    }

    /** CANCEL of a pending INVITE, from the LAN {@code device} or (null) from the PBX side. */
    public void cancel(RequestEvent event, Device device) throws SipException {
        ServerTransaction transaction = context.replies().transactionOf(event);
        SIPServerTransaction invite = ((SIPServerTransaction) transaction).getCanceledInviteTransaction();
        Call call = invite == null ? null : (Call) invite.getApplicationData();
        if (call != null && !call.isOwnDevice(device)) {
            log.info("Refused CANCEL of call {} from {}: not the call's device", LogText.bounded(call.id), device);
            messages.answer(transaction, Response.FORBIDDEN, Admission.REFUSAL);
            return;
        }
        messages.answer(transaction, Response.OK, null);
        if (call != null) {
            synchronized (call) {
                cancelling.cancel(call);
            }
        }
    }

    /**
     * The PBX side's listening points and media moved to a new VPN address: every answered call
     * re-INVITEs its PBX leg from there ({@link PbxReinvites}); the phone's legs stay as they are.
     */
    public void vpnMoved() {
        reinvites.vpnMoved(book.active());
    }

    // ---------------------------------------------------------------- status

    /** Active calls, longest first, then recently ended ones. */
    public List<CallStatus> calls() {
        return book.statuses();
    }

    public int activeCalls() {
        return book.activeCalls();
    }

    /** What the call relay works with; every part is required. */
    public static final class Builder {
        private Factories sip;
        private Sender toPhone;
        private Sender toPbx;
        private RegistrationGroup group;
        private Admission admission;
        private BindingTable bindings;
        private MediaRelay media;
        private Supplier<Transport> serverTransport;
        private Supplier<Transport> phoneTransport;
        private Replies replies;
        private Clock clock;
        private BooleanSupplier vpnUp = () -> true;

        private Builder() {}

        public Builder stack(Factories sip, Replies replies) {
            this.sip = sip;
            this.replies = replies;
            return this;
        }

        /** The senders of the phone (LAN) and PBX (VPN) sides. */
        public Builder sides(Sender toPhone, Sender toPbx) {
            this.toPhone = toPhone;
            this.toPbx = toPbx;
            return this;
        }

        /** The configured transports toward the phone and toward the servers (read at each call). */
        public Builder transports(Supplier<Transport> phoneTransport, Supplier<Transport> serverTransport) {
            this.phoneTransport = phoneTransport;
            this.serverTransport = serverTransport;
            return this;
        }

        public Builder servers(RegistrationGroup group) {
            this.group = group;
            return this;
        }

        /** The phone bindings, for requests to a phone's GRUU (see {@link PhoneTarget}). */
        public Builder bindings(BindingTable value) {
            this.bindings = value;
            return this;
        }

        public Builder admission(Admission admission) {
            this.admission = admission;
            return this;
        }

        public Builder media(MediaRelay media) {
            this.media = media;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Whether the VPN address is on this computer now (new calls get 503 "VPN is down" while it is not). */
        public Builder vpnUp(BooleanSupplier value) {
            this.vpnUp = value;
            return this;
        }

        public CallRelay build() {
            return new CallRelay(
                    new CallContext(
                            Objects.requireNonNull(sip, "stack"),
                            Objects.requireNonNull(toPhone, "sides"),
                            Objects.requireNonNull(toPbx, "sides"),
                            Objects.requireNonNull(group, "servers"),
                            Objects.requireNonNull(admission, "admission"),
                            Objects.requireNonNull(media, "media"),
                            Objects.requireNonNull(serverTransport, "transports"),
                            Objects.requireNonNull(phoneTransport, "transports"),
                            Objects.requireNonNull(replies, "stack"),
                            Objects.requireNonNull(clock, "clock"),
                            new PhoneTarget(Objects.requireNonNull(bindings, "bindings"), sip.addresses())),
                    vpnUp);
        }
    }
}
