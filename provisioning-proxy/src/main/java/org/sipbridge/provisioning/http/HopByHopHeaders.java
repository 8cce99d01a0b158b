package org.sipbridge.provisioning.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes hop-by-hop headers (RFC 9110 §7.6.1) in both directions: the fixed list, and every header
 * the Connection header names. Each side's connection then frames its own messages: Undertow's
 * client and server choose Content-Length or chunked coding for the body they write.
 */
public final class HopByHopHeaders implements HttpHandler {

    static final List<HttpString> ALWAYS = List.of(
            Headers.CONNECTION,
            Headers.KEEP_ALIVE,
            Headers.PROXY_AUTHENTICATE,
            Headers.PROXY_AUTHORIZATION,
            new HttpString("Proxy-Connection"),
            Headers.TE,
            new HttpString("Trailer"),
            Headers.TRANSFER_ENCODING,
            Headers.UPGRADE);

    private final HttpHandler next;

    public HopByHopHeaders(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        strip(exchange.getRequestHeaders());
        exchange.addResponseCommitListener(ex -> strip(ex.getResponseHeaders()));
        next.handleRequest(exchange);
    }

    static void strip(HeaderMap headers) {
        // A chunked body has been decoded already; its Content-Length, if any, never counted (RFC 9112 §6.3).
        if (headers.contains(Headers.TRANSFER_ENCODING)) {
            headers.remove(Headers.CONTENT_LENGTH);
        }
        HeaderValues connection = headers.get(Headers.CONNECTION);
        if (connection != null) {
            List<String> named = new ArrayList<>();
            for (String value : connection) {
                for (String token : value.split(",")) {
                    if (!token.isBlank()) {
                        named.add(token.trim());
                    }
                }
            }
            named.forEach(headers::remove);
        }
        ALWAYS.forEach(headers::remove);
    }
}
