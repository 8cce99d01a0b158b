package org.sipbridge.web.auth;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.sipbridge.config.AdminSettings;
import org.sipbridge.web.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open-UI rule: without a login set, the UI answers only on a loopback listener and only to a
 * loopback Host name (DNS rebinding would otherwise make another site's page same-origin with it).
 */
final class OpenUiGate implements HttpHandler {

    // The gate's log name, unchanged since these checks were part of AuthHandler.
    private static final Logger log = LoggerFactory.getLogger(AuthHandler.class);

    private final Supplier<AdminSettings> credentials;
    private final boolean loopbackListener;
    private final HttpHandler next;
    private final AtomicBoolean refusalLogged = new AtomicBoolean();

    OpenUiGate(Supplier<AdminSettings> credentials, boolean loopbackListener, HttpHandler next) {
        this.credentials = credentials;
        this.loopbackListener = loopbackListener;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (credentials.get().hasCredentials()) {
            next.handleRequest(exchange);
            return;
        }
        if (!loopbackListener) {
            if (refusalLogged.compareAndSet(false, true)) {
                log.error(
                        "The web UI listens on a non-loopback address but no login is set (admin.userName/admin.passwordHash);"
                                + " refusing every request until credentials are set or web.bindAddress is 127.0.0.1");
            }
            Json.error(
                    exchange,
                    StatusCodes.FORBIDDEN,
                    "The web UI has no login set, so it is only available on this computer:"
                            + " set admin credentials in the config file or set web.bindAddress to 127.0.0.1");
            return;
        }
        if (!CrossSiteCheck.loopbackHost(exchange)) {
            Json.error(
                    exchange,
                    StatusCodes.FORBIDDEN,
                    "The web UI without a login answers only to http://127.0.0.1:<port>"
                            + " or http://localhost:<port>");
            return;
        }
        next.handleRequest(exchange);
    }
}
