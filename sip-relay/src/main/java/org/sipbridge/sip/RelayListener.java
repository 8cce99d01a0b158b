package org.sipbridge.sip;

import gov.nist.javax.sip.RequestEventExt;
import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipbridge.config.Transport;
import org.sipbridge.contract.LogText;
import org.sipbridge.sip.identity.Device;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one jain-sip listener: routes each event to the side it arrived on. Requests first pass the
 * access policy, so the bridge never relays for strangers.
 */
final class RelayListener implements SipListener {

    private static final Logger log = LoggerFactory.getLogger(RelayListener.class);

    /** Handles the requests that arrive on one side, with the device (address, port, transport) they came from. */
    interface RequestHandler {
        void handle(RequestEvent event, Device device) throws Exception;
    }

    private final Replies replies;
    private final SipProvider lanProvider;
    private final RequestHandler fromLan;
    private final RequestHandler fromVpn;
    private final ServerFailures serverFailures;
    final LongAdder failedRequests = new LongAdder();
    final LongAdder malformedRequests = new LongAdder();

    /** Told when a connection to a host fails outside any transaction callback. */
    interface ServerFailures {
        void connectionFailed(String host, int port, String transport);
    }

    RelayListener(
            Replies replies,
            SipProvider lanProvider,
            RequestHandler fromLan,
            RequestHandler fromVpn,
            ServerFailures serverFailures) {
        this.replies = replies;
        this.lanProvider = lanProvider;
        this.fromLan = fromLan;
        this.fromVpn = fromVpn;
        this.serverFailures = serverFailures;
    }

    @Override
    public void processRequest(RequestEvent event) {
        Device device = deviceOf(event);
        String remoteIp = device.ip();
        addMissingMaxForwards(event.getRequest());
        Optional<WellFormed.Problem> malformed =
                WellFormed.problemOf(event.getRequest(), (SipProvider) event.getSource());
        if (malformed.isPresent()) {
            // Anyone can send these: counted, refused (or dropped) with one quiet line, never a 500 or a trace.
            malformedRequests.increment();
            WellFormed.Problem problem = malformed.get();
            log.debug(
                    "{} a malformed {} from {}: {}",
                    problem.status() == 0 ? "Dropped" : "Refused",
                    LogText.escapeControls(event.getRequest().getMethod()),
                    remoteIp,
                    problem.reason());
            if (problem.status() != 0) {
                replies.send(event, problem.status(), problem.phrase());
            }
            return;
        }
        try {
            (event.getSource() == lanProvider ? fromLan : fromVpn).handle(event, device);
        } catch (Exception e) {
            failedRequests.increment();
            // One line per failure: a stranger sending broken requests must not fill the log with traces.
            log.warn("Failed to handle {} from {}: {}", event.getRequest().getMethod(), remoteIp, e.toString());
            log.debug("Failure details", e);
            reply(event, Response.SERVER_INTERNAL_ERROR);
        }
    }

    /**
     * RFC 3261 §16.6 step 3: a request that arrives without Max-Forwards is relayed with 70, as a
     * proxy would (jain-sip keeps no transaction for a request without one, so it is added here).
     */
    private static void addMissingMaxForwards(Request request) {
        if (!Request.ACK.equals(request.getMethod()) && request.getHeader(MaxForwardsHeader.NAME) == null) {
            try {
                request.addHeader(new MaxForwards(70));
            } catch (InvalidArgumentException e) {
                throw new IllegalStateException(e); // 70 is in range
            }
        }
    }

    /**
     * Where a request came from, as the transport saw it (never from its Via, which the sender
     * writes): the message channel it arrived on says the transport.
     */
    static Device deviceOf(RequestEvent event) {
        String ip = event instanceof RequestEventExt ext && ext.getRemoteIpAddress() != null
                ? ext.getRemoteIpAddress()
                : "";
        int port = event instanceof RequestEventExt ext ? ext.getRemotePort() : -1;
        Transport transport = Transport.UDP;
        if (event.getRequest() instanceof SIPRequest request
                && request.getMessageChannel() instanceof MessageChannel channel) {
            try {
                transport = Transport.fromKey(channel.getTransport().toLowerCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                transport = Transport.UDP;
            }
        }
        return new Device(transport, ip, port);
    }

    private void reply(RequestEvent event, int status) {
        replies.send(event, status, null);
    }

    @Override
    public void processResponse(ResponseEvent event) {
        if (event.getClientTransaction() != null) {
            Sender.deliver(event.getClientTransaction(), event.getResponse());
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (!event.isServerTransaction()) {
            Sender.deliverTimeout(event.getClientTransaction());
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        log.info("Connection to {}:{} ({}) failed", event.getHost(), event.getPort(), event.getTransport());
        serverFailures.connectionFailed(event.getHost(), event.getPort(), event.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        // Nothing to clean up: exchanges end with their final response or their deadline.
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        // Dialogs are tracked by the relay itself.
    }
}
