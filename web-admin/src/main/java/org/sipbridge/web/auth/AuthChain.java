package org.sipbridge.web.auth;

import io.undertow.server.HttpHandler;
import java.util.function.Supplier;
import org.sipbridge.config.AdminSettings;

/**
 * The gate in front of every route of the web UI and API, one concern per handler, outermost first:
 * <pre>
 * SecurityHeaders      nosniff, no-referrer, no framing; no-store on /api/
 *  OpenUiGate          no login set: loopback listener and loopback Host only, else 403
 *   CrossOriginGate    POST/PUT/PATCH/DELETE from another site's page: 403
 *    LoginEndpoints    GET /api/session, POST /api/login, the login page and its assets (no login needed)
 *     AuthHandler      session or HTTP Basic (VerifiedBasicCache), CSRF token, logout and
 *                      credential change; then the routes
 * </pre>
 */
public final class AuthChain {

    private AuthChain() {
    }

    /**
     * @param credentials      the current {@code admin.*} settings (read on every request, so changes apply at once)
     * @param loopbackListener whether the listener is bound to a loopback address (the only place an open UI may be)
     * @param writer           saves new credentials; null when this server cannot change them
     */
    public static HttpHandler build(HttpHandler routes, Supplier<AdminSettings> credentials, boolean loopbackListener,
            CredentialsChange.Writer writer, SessionStore sessions, LoginLimiter limiter, PasswordCheck passwords) {
        return new SecurityHeaders(
                new OpenUiGate(credentials, loopbackListener,
                        new CrossOriginGate(
                                new LoginEndpoints(credentials, sessions, limiter, passwords, routes,
                                        new AuthHandler(routes, credentials, loopbackListener, writer, sessions, limiter,
                                                passwords)))));
    }
}
