package org.sipbridge.web.auth;

import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.BlockingHandler;
import java.util.function.Supplier;
import org.sipbridge.config.AdminSettings;

/**
 * The gate in front of every route of the web UI and API, one concern per handler, outermost first:
 * <pre>
 * SecurityHeaders      nosniff, no-referrer, no framing; no-store on /api/
 *  OpenUiGate          no login set: loopback listener and loopback Host only, else 403
 *   CrossOriginGate    POST/PUT/PATCH/DELETE from another site's page: 403
 *    LoginEndpoints    GET /api/session, POST /api/login, the login page and its assets (no login needed)
 *     AuthHandler      session or HTTP Basic (VerifiedBasicCache) when credentials are set; attaches the Caller
 *      CsrfGate        POST/PUT/PATCH/DELETE of a browser session: its CSRF token, else 403
 *       LogoutEndpoint POST /api/logout
 *        CredentialsEndpoint  /api/admin/credentials (when this server can save them)
 *         the routes
 * </pre>
 */
public final class AuthChain {

    private AuthChain() {}

    /**
     * @param credentials      the current {@code admin.*} settings (read on every request, so changes apply at once)
     * @param loopbackListener whether the listener is bound to a loopback address (the only place an open UI may be)
     * @param writer           saves new credentials; null when this server cannot change them
     */
    public static HttpHandler build(
            HttpHandler routes,
            Supplier<AdminSettings> credentials,
            boolean loopbackListener,
            CredentialsChange.Writer writer,
            SessionStore sessions,
            LoginLimiter limiter,
            PasswordCheck passwords) {
        return new SecurityHeaders(new OpenUiGate(
                credentials,
                loopbackListener,
                new CrossOriginGate(new LoginEndpoints(
                        credentials,
                        sessions,
                        limiter,
                        passwords,
                        routes,
                        new AuthHandler(
                                behindLogin(
                                        routes, credentials, loopbackListener, writer, sessions, limiter, passwords),
                                credentials,
                                sessions,
                                limiter,
                                passwords)))));
    }

    private static HttpHandler behindLogin(
            HttpHandler routes,
            Supplier<AdminSettings> credentials,
            boolean loopbackListener,
            CredentialsChange.Writer writer,
            SessionStore sessions,
            LoginLimiter limiter,
            PasswordCheck passwords) {
        HttpHandler endpoints = writer == null
                ? routes
                : new CredentialsEndpoint(
                        new BlockingHandler(new CredentialsChange(
                                credentials, loopbackListener, writer, sessions, limiter, passwords)),
                        routes);
        return new CsrfGate(new LogoutEndpoint(sessions, endpoints));
    }
}
