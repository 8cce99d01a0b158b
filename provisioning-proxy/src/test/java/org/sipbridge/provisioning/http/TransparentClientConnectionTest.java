package org.sipbridge.provisioning.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import org.junit.jupiter.api.Test;

class TransparentClientConnectionTest {

    @Test
    void forwardedHeadersAreExactlyThePhones() {
        HeaderMap outbound = new HeaderMap();
        outbound.put(Headers.X_FORWARDED_FOR, "192.168.1.50");
        outbound.put(Headers.X_FORWARDED_PROTO, "http");
        outbound.put(Headers.X_FORWARDED_HOST, "192.168.1.20");
        outbound.put(Headers.X_FORWARDED_PORT, "8088");
        outbound.put(Headers.X_FORWARDED_SERVER, "192.168.1.20");
        outbound.put(Headers.USER_AGENT, "FileTransport PolycomVVX-VVX_450-UA/6.4.0");
        HeaderMap phone = new HeaderMap();
        phone.add(Headers.X_FORWARDED_FOR, "10.0.0.1");
        phone.add(Headers.X_FORWARDED_FOR, "10.0.0.2");

        TransparentClientConnection.restoreForwardedHeaders(outbound, phone);

        assertEquals(2, outbound.count(Headers.X_FORWARDED_FOR));
        assertEquals("10.0.0.1", outbound.get(Headers.X_FORWARDED_FOR).get(0));
        assertFalse(outbound.contains(Headers.X_FORWARDED_PROTO));
        assertFalse(outbound.contains(Headers.X_FORWARDED_HOST));
        assertFalse(outbound.contains(Headers.X_FORWARDED_PORT));
        assertFalse(outbound.contains(Headers.X_FORWARDED_SERVER));
        assertEquals("FileTransport PolycomVVX-VVX_450-UA/6.4.0", outbound.getFirst(Headers.USER_AGENT));
    }
}
