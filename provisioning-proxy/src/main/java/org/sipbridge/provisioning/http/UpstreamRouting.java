package org.sipbridge.provisioning.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides where a request goes, apart from forwarding it: to the upstream configured at this moment
 * (fixed on the exchange for the later stages), or a 503 when there is none. Refuses paths with dot
 * segments, which would let a request climb out of the upstream's base path.
 */
public final class UpstreamRouting implements HttpHandler {

    private final Supplier<Optional<UpstreamUrl>> upstream;
    private final HttpHandler proxy;

    public UpstreamRouting(Supplier<Optional<UpstreamUrl>> upstream, HttpHandler proxy) {
        this.upstream = upstream;
        this.proxy = proxy;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (hasDotSegment(exchange.getRequestURI())) {
            exchange.setStatusCode(StatusCodes.BAD_REQUEST);
            PlainText.send(exchange, "paths with . or .. segments are not relayed\n");
            return;
        }
        Optional<UpstreamUrl> current = upstream.get();
        if (current.isEmpty()) {
            exchange.setStatusCode(StatusCodes.SERVICE_UNAVAILABLE);
            PlainText.send(exchange, "sipbridge: provisioning upstream not configured"
                    + " (set bridge.provisioningUpstream to the office provisioning server)\n");
            return;
        }
        exchange.putAttachment(UpstreamUrl.KEY, current.get());
        proxy.handleRequest(exchange);
    }

    /** Looks at the raw path, so percent-encoded dots ({@code %2e%2e}) count too. */
    static boolean hasDotSegment(String rawPath) {
        int query = rawPath.indexOf('?');
        String path = (query >= 0 ? rawPath.substring(0, query) : rawPath).toLowerCase(Locale.ROOT).replace("%2e", ".");
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
