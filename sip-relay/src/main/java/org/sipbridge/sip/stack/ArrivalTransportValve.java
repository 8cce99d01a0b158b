package org.sipbridge.sip.stack;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.sip.SipStack;
import javax.sip.message.Response;
import org.sipbridge.config.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a request that came over UDP over UDP, whatever its top Via says. jain-sip follows RFC
 * 3261 §18.2.2 by the Via alone: a UDP request whose Via says TCP or TLS is answered over a new
 * connection to the sender's address and Via port, which jain-sip then caches for as long as the
 * peer keeps it open (fuzz finding F8: anyone could make the bridge open and hold connections).
 * Such a Via is false: it names the transport the request was sent over (§8.1.1.7, §18.1.1), and
 * this one came over UDP. So the valve makes the Via say UDP before any transaction sees the
 * request, and every answer (the relay's, jain-sip's own 100 Trying and error responses,
 * retransmissions) goes back over UDP to where the request came from, as Kamailio answers by
 * default ({@code reply_to_via} off: replies use the protocol the request arrived on). Requests
 * that came over TCP or TLS need nothing: jain-sip answers them on their own connection. jain-sip
 * builds valves by name ({@code gov.nist.javax.sip.SIP_MESSAGE_VALVE}) and calls them on its
 * transport threads before any transaction or dialog lookup.
 */
public final class ArrivalTransportValve implements SIPMessageValve {

    private static final Logger log = LoggerFactory.getLogger(ArrivalTransportValve.class);
    private static final Map<String, ArrivalTransportValve> BY_STACK = new ConcurrentHashMap<>();
    private static final String UDP = "UDP";

    private final LongAdder corrected = new LongAdder();
    private String stackName;

    @Override
    public void init(SipStack stack) {
        stackName = stack.getStackName();
        BY_STACK.put(stackName, this);
    }

    @Override
    public void destroy() {
        BY_STACK.remove(stackName, this);
    }

    /** Requests of the stack named {@code stackName} that came over UDP with another transport in their Via. */
    public static long corrected(String stackName) {
        ArrivalTransportValve valve = BY_STACK.get(stackName);
        return valve == null ? 0 : valve.corrected.sum();
    }

    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        Via via = request.getTopmostVia();
        if (via == null || channel == null || !UDP.equalsIgnoreCase(channel.getTransport())
                || UDP.equalsIgnoreCase(via.getTransport())) {
            return true;
        }
        String claimed = via.getTransport();
        try {
            via.setTransport(UDP);
        } catch (ParseException e) {
            return false; // cannot happen for "UDP"; never answer it over the Via's transport
        }
        corrected.increment();
        log.debug("A {} from {} came over UDP but its Via says {}: answering over UDP",
                LogText.bounded(request.getMethod()), channel.getPeerAddress(),
                LogText.bounded(claimed));
        return true;
    }

    @Override
    public boolean processResponse(Response response, MessageChannel channel) {
        return true;
    }
}
