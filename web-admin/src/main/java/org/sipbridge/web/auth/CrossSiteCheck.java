package org.sipbridge.web.auth;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a state-changing request must show so that another site's page cannot have made it:
 * {@link #foreignOrigin} checks what the browser says about where the request comes from, and
 * {@link #scriptRequest} tells a script's HTTP Basic request from one a browser can send cross-site
 * with cached Basic credentials.
 */
final class CrossSiteCheck {

    static final HttpString REQUESTED_WITH = new HttpString("X-Requested-With");
    private static final HttpString ORIGIN = new HttpString("Origin");
    private static final HttpString SEC_FETCH_SITE = new HttpString("Sec-Fetch-Site");
    /** "none": typed into the address bar or a bookmark; anything else ("same-site", "cross-site") is another origin. */
    private static final Set<String> OWN_SITE = Set.of("same-origin", "none");

    private static final java.util.regex.Pattern LOOPBACK_V4 = java.util.regex.Pattern.compile(
            "127\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)");

    private CrossSiteCheck() {}

    /**
     * Why the request comes from another origin, or empty when it does not say so. Browsers send
     * {@code Origin} on every POST/PUT/PATCH/DELETE and {@code Sec-Fetch-Site} on every request (where
     * supported); scripts such as curl send neither. Another port of the same host is another origin.
     */
    static Optional<String> foreignOrigin(HttpServerExchange exchange) {
        String site = exchange.getRequestHeaders().getFirst(SEC_FETCH_SITE);
        if (site != null && !OWN_SITE.contains(site.trim().toLowerCase(Locale.ROOT))) {
            return Optional.of("Sec-Fetch-Site is " + site.trim());
        }
        String origin = exchange.getRequestHeaders().getFirst(ORIGIN);
        if (origin == null) {
            return Optional.empty();
        }
        String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        String own = exchange.getRequestScheme() + "://" + host;
        return host != null && origin.trim().equalsIgnoreCase(own)
                ? Optional.empty()
                : Optional.of("Origin is not " + own);
    }

    /**
     * Whether the Host header names this computer by a loopback address or {@code localhost}, and not by
     * some other name that resolves to it (a DNS-rebinding page's own name).
     */
    static boolean loopbackHost(HttpServerExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        if (host == null) {
            return false;
        }
        host = host.trim().toLowerCase(Locale.ROOT);
        String name = host.startsWith("[")
                ? host.substring(0, host.indexOf(']') + 1)
                : host.indexOf(':') >= 0 ? host.substring(0, host.indexOf(':')) : host;
        return name.equals("localhost")
                || name.equals("[::1]")
                || LOOPBACK_V4.matcher(name).matches();
    }

    /**
     * Whether a request is one that no page of another site can make a browser send: it carries no
     * cookies (a browser that has our session sends it, and then the session's CSRF token is the rule),
     * and it has a header that a cross-site form or a no-cors fetch cannot set without a CORS preflight
     * (which this server never grants): {@code Content-Type: application/json} or {@code X-Requested-With}.
     */
    static boolean scriptRequest(HttpServerExchange exchange) {
        if (exchange.getRequestHeaders().contains(Headers.COOKIE)) {
            return false;
        }
        if (exchange.getRequestHeaders().contains(REQUESTED_WITH)) {
            return true;
        }
        String type = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (type == null) {
            return false;
        }
        int parameters = type.indexOf(';');
        String mediaType =
                (parameters < 0 ? type : type.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json");
    }
}
