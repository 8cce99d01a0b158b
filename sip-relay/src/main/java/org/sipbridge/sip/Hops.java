package org.sipbridge.sip;

import java.text.ParseException;
import javax.sip.InvalidArgumentException;
import javax.sip.address.SipURI;
import javax.sip.header.RouteHeader;
import javax.sip.header.ViaHeader;
import org.sipbridge.config.ServerAddress;
import org.sipbridge.config.Transport;
import org.sipbridge.sip.stack.SipStackFactory.Factories;

/** The hop headers the bridge puts on requests it sends: its own Via, and the Route to a server. */
public final class Hops {

    private Hops() {}

    /** The bridge's Via on {@code side} for {@code transport}, asking for rport (RFC 3581). */
    public static ViaHeader via(Factories sip, Side side, Transport transport)
            throws ParseException, InvalidArgumentException {
        ViaHeader via = sip.headers().createViaHeader(side.address(), side.port(transport), transport.key(), null);
        via.setRPort();
        return via;
    }

    /** A pre-loaded Route to {@code server} (RFC 3261 §8.1.2): the request goes there, its URI unchanged. */
    public static RouteHeader route(Factories sip, ServerAddress server, Transport transport) throws ParseException {
        SipURI uri = sip.addresses().createSipURI(null, server.host());
        uri.setPort(server.port());
        uri.setLrParam();
        if (transport != Transport.UDP) {
            uri.setTransportParam(transport.key());
        }
        return sip.headers().createRouteHeader(sip.addresses().createAddress(uri));
    }
}
