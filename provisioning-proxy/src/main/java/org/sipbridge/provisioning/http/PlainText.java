package org.sipbridge.provisioning.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/** The proxy's own short answers (errors), readable by someone trying the URL with curl. */
final class PlainText {

    private PlainText() {}

    static void send(HttpServerExchange exchange, String text) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(text);
    }
}
