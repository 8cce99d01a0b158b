package org.sipbridge.provisioning.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.StatusCodes;

/**
 * Why the proxy could not relay a request to the upstream, in plain words; attached to the exchange
 * by the stage that saw it, read when the phone's answer is written.
 */
public record UpstreamFailure(Kind kind, String cause) {

    public static final AttachmentKey<UpstreamFailure> KEY = AttachmentKey.create(UpstreamFailure.class);

    public enum Kind {
        /** The upstream host name does not resolve. */
        NAME_RESOLUTION,
        /** The TCP connection was refused or the network is unreachable. */
        CONNECT,
        /** No connection within the connect timeout. */
        TIMEOUT,
        /** The upstream certificate was refused. */
        UNTRUSTED_CERTIFICATE,
        /** The connection broke before the upstream answered. */
        RELAY
    }

    /** What the phone gets: 504 when the upstream did not answer in time, 502 otherwise. */
    public int statusCode() {
        return kind == Kind.TIMEOUT ? StatusCodes.GATEWAY_TIME_OUT : StatusCodes.BAD_GATEWAY;
    }

    /** Keeps the first failure seen: later ones are usually its consequences. */
    static void attachIfAbsent(HttpServerExchange exchange, UpstreamFailure failure) {
        if (exchange.getAttachment(KEY) == null) {
            exchange.putAttachment(KEY, failure);
        }
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
