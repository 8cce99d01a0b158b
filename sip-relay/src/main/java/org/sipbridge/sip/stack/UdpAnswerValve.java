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
import org.sipbridge.contract.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a request that came over UDP over UDP, to where it came from, whatever its top Via says.
 * jain-sip follows RFC 3261 §18.2.2 by the Via alone:
 * <ul>
 *   <li>a UDP request whose Via says TCP or TLS is answered over a new connection to the sender's
 *   address and Via port, which jain-sip then caches for as long as the peer keeps it open (fuzz
 *   finding F8: anyone could make the bridge open and hold connections). Such a Via is false: it
 *   names the transport the request was sent over (§8.1.1.7, §18.1.1), and this one came over UDP;
 *   so the Via is made to say UDP;</li>
 *   <li>a Via with {@code maddr} (meant for multicast) has the answer sent to that address, so a
 *   device could aim the bridge's answers at any host; the bridge serves no multicast, so
 *   {@code maddr} is removed.</li>
 * </ul>
 * This happens before any transaction sees the request, so every answer (the relay's, jain-sip's
 * own 100 Trying and error responses, retransmissions) goes back over UDP to the request's source
 * address ({@code received}) and its Via or {@code rport} port, as Kamailio answers by default
 * ({@code reply_to_via} off: replies go to the source over the protocol the request arrived on).
 * Requests that came over TCP or TLS need nothing: jain-sip answers them on their own connection.
 * jain-sip builds valves by name ({@code gov.nist.javax.sip.SIP_MESSAGE_VALVE}) and calls them on
 * its transport threads before any transaction or dialog lookup.
 */
public final class UdpAnswerValve implements SIPMessageValve {

    private static final Logger log = LoggerFactory.getLogger(UdpAnswerValve.class);
    private static final Map<String, UdpAnswerValve> BY_STACK = new ConcurrentHashMap<>();
    private static final String UDP = "UDP";
    private static final String MADDR = "maddr";

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

    /** Requests of the stack {@code stackName} that came over UDP with another transport or a maddr in their Via. */
    public static long corrected(String stackName) {
        UdpAnswerValve valve = BY_STACK.get(stackName);
        return valve == null ? 0 : valve.corrected.sum();
    }

    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        Via via = request.getTopmostVia();
        if (via == null || channel == null || !UDP.equalsIgnoreCase(channel.getTransport())) {
            return true;
        }
        String claimedTransport = via.getTransport();
        String maddr = via.getMAddr();
        if (UDP.equalsIgnoreCase(claimedTransport) && maddr == null) {
            return true;
        }
        try {
            via.setTransport(UDP);
        } catch (ParseException e) {
            return false; // cannot happen for "UDP"; never answer it where the Via says
        }
        via.removeParameter(MADDR);
        corrected.increment();
        log.debug(
                "A {} from {} came over UDP with Via transport {} and maddr {}: answering over UDP to its source",
                LogText.bounded(request.getMethod()),
                channel.getPeerAddress(),
                LogText.bounded(claimedTransport),
                LogText.bounded(maddr));
        return true;
    }

    @Override
    public boolean processResponse(Response response, MessageChannel channel) {
        return true;
    }
}
