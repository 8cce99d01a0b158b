package org.sipbridge.sip.calls;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ListIterator;
import java.util.Set;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.ContactHeader;
import javax.sip.header.Header;
import javax.sip.header.OptionTag;
import javax.sip.header.RequireHeader;
import javax.sip.header.SupportedHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipbridge.contract.LogText;
import org.sipbridge.contract.media.MediaUnavailableException;
import org.sipbridge.sip.ContactParameters;
import org.sipbridge.sip.Messages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisional answers and the early dialog, RFC 3262 leg by leg: the bridge PRACKs the callee's
 * reliable provisional responses itself, and sends the caller a reliable one (answering its PRACK
 * locally) only if the caller supports 100rel; otherwise the caller gets an ordinary one.
 */
final class EarlyDialog {

    private static final Logger log = LoggerFactory.getLogger(EarlyDialog.class);
    private static final String RSEQ = "RSeq";
    private static final String REL100 = "100rel";

    private final CallContext context;
    private final LegMessages messages;

    EarlyDialog(CallContext context, LegMessages messages) {
        this.context = context;
        this.messages = messages;
    }

    /** A provisional answer of the callee: PRACKed on its leg when reliable, relayed to the caller. */
    void provisional(Call call, Response in)
            throws ParseException, SipException, InvalidArgumentException, MediaUnavailableException {
        if (isReliable(in)) {
            prack(call, call.callee(), in);
        }
        if (call.state().isSettingUp()) {
            call.moveTo(CallState.RINGING);
            relay(call, call.caller(), call.callerInvite, in);
        }
    }

    private void relay(Call call, Leg to, ServerTransaction transaction, Response in)
            throws ParseException, SipException, InvalidArgumentException, MediaUnavailableException {
        if (transaction == null) {
            return;
        }
        if (!supports100rel(transaction.getRequest()) || to.dialog == null) {
            Response copy = (Response) in.clone();
            copy.removeHeader(RSEQ);
            stripOption(copy, RequireHeader.NAME, REL100);
            messages.relayResponse(call, to, transaction, copy);
            return;
        }
        if (!isReliable(in)) {
            messages.relayResponse(call, to, transaction, in);
            return;
        }
        Response out = to.dialog.createReliableProvisionalResponse(in.getStatusCode());
        out.setReasonPhrase(in.getReasonPhrase());
        ToHeader toHeader = (ToHeader) out.getHeader(ToHeader.NAME);
        if (toHeader.getTag() == null) {
            toHeader.setTag(to.dialog.getLocalTag() != null ? to.dialog.getLocalTag() : LegMessages.newTag());
        }
        Set<String> skipped = new HashSet<>(Messages.PER_HOP);
        skipped.addAll(Set.of("rseq", "require"));
        Messages.copyHeaders(in, out, skipped, to.side.hidden());
        if (in.getHeader(ContactHeader.NAME) != null) {
            out.removeHeader(ContactHeader.NAME);
            out.addHeader(ContactParameters.copyFirst(
                    in,
                    messages.contact(
                            to,
                            Messages.user(((ToHeader) out.getHeader(ToHeader.NAME))
                                    .getAddress()
                                    .getURI()),
                            messages.transportOf(to)),
                    to.side.hidden()));
        }
        messages.copyBody(call, in, out, call.other(to));
        context.note(call, Call.BRIDGE, to.party(), LegMessages.summary(out) + " (reliable)");
        to.dialog.sendReliableProvisionalResponse(out);
    }

    private void prack(Call call, Leg leg, Response reliable) {
        try {
            Request prack = leg.dialog.createPrack(reliable);
            context.phoneTarget().aim(leg, prack);
            messages.sendOwn(call, leg, prack);
        } catch (SipException | RuntimeException e) {
            log.warn(
                    "Could not PRACK the {} leg of call {}: {}",
                    leg.side.name(),
                    LogText.bounded(call.id),
                    e.toString());
        }
    }

    private static boolean isReliable(Response response) {
        return response.getStatusCode() > 100
                && response.getStatusCode() < 200
                && response.getHeader(RSEQ) != null
                && hasOption(response, RequireHeader.NAME, REL100);
    }

    private static boolean supports100rel(Request request) {
        return hasOption(request, SupportedHeader.NAME, REL100) || hasOption(request, RequireHeader.NAME, REL100);
    }

    private static boolean hasOption(Message message, String header, String option) {
        for (ListIterator<?> it = message.getHeaders(header); it.hasNext(); ) {
            Object value = it.next();
            String tag = value instanceof OptionTag t ? t.getOptionTag() : value.toString();
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
        List<Header> keep = new ArrayList<>();
        for (ListIterator<?> it = message.getHeaders(header); it.hasNext(); ) {
            Header value = (Header) it.next();
            if (!(value instanceof OptionTag t && option.equalsIgnoreCase(t.getOptionTag()))) {
                keep.add(value);
            }
        }
        message.removeHeader(header);
        keep.forEach(message::addHeader);
    }
}
