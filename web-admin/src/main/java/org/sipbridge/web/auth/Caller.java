package org.sipbridge.web.auth;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.util.Optional;

/**
 * Who sent a request, as {@link AuthHandler} found it: the browser session its cookie names (if any) and
 * whether it carried valid HTTP Basic credentials. The handlers behind it read it from the exchange.
 */
record Caller(Optional<SessionStore.Session> session, boolean basic) {

    private static final AttachmentKey<Caller> KEY = AttachmentKey.create(Caller.class);

    void attachTo(HttpServerExchange exchange) {
        exchange.putAttachment(KEY, this);
    }

    /** The caller {@link AuthHandler} attached; every handler behind it can rely on one being there. */
    static Caller of(HttpServerExchange exchange) {
        Caller caller = exchange.getAttachment(KEY);
        if (caller == null) {
            throw new IllegalStateException("no AuthHandler in front of " + exchange.getRequestPath());
        }
        return caller;
    }
}
