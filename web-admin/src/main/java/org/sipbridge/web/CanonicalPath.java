package org.sipbridge.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.util.regex.Pattern;

/**
 * Refuses (400) request paths that are not canonical, before the login gate decides on them: the gate
 * lets {@code /assets/**} through without a login, so {@code /assets/../index.html} (or {@code %2e%2e},
 * {@code ..%2f}, {@code ..;}, {@code ..\}) must never get as far as the file lookup. Pages and assets
 * have plain names, so outside {@code /api/} the raw path may hold only unreserved characters and no
 * dot segments or empty segments; under {@code /api/}, where ids may be percent-encoded, only dot
 * segments (raw or decoded) and backslashes are refused.
 */
final class CanonicalPath implements HttpHandler {

    private static final Pattern PAGE_PATH = Pattern.compile("/|(/[A-Za-z0-9._~-]+)+/?");

    private final HttpHandler next;

    CanonicalPath(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (canonical(rawPath(exchange), exchange.getRequestPath())) {
            next.handleRequest(exchange);
        } else {
            Json.error(
                    exchange,
                    StatusCodes.BAD_REQUEST,
                    "the request path is not canonical (dot segments, empty segments,"
                            + " encoded separators or path parameters)");
        }
    }

    /** The path as the client sent it (no percent-decoding, path parameters kept), without scheme and host. */
    private static String rawPath(HttpServerExchange exchange) {
        String uri = exchange.getRequestURI();
        if (exchange.isHostIncludedInRequestURI()) {
            int authority = uri.indexOf("//");
            int path = authority < 0 ? -1 : uri.indexOf('/', authority + 2);
            return path < 0 ? "/" : uri.substring(path);
        }
        return uri;
    }

    static boolean canonical(String raw, String decoded) {
        if (raw.startsWith("/api/")) {
            return !hasDotSegment(raw)
                    && !hasDotSegment(decoded)
                    && raw.indexOf('\\') < 0
                    && decoded.indexOf('\\') < 0
                    && !raw.toLowerCase(java.util.Locale.ROOT).contains("%2e")
                    && !raw.toLowerCase(java.util.Locale.ROOT).contains("%5c");
        }
        return raw.equals(decoded) && PAGE_PATH.matcher(raw).matches() && !hasDotSegment(raw) && !raw.contains("//");
    }

    private static boolean hasDotSegment(String path) {
        for (String segment : path.split("[/;]", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
