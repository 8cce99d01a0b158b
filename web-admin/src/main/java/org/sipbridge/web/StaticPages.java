package org.sipbridge.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

/**
 * The pages and their assets from the classpath folder {@code web/}. Every response carries a strict
 * Content-Security-Policy: scripts and styles only from this server, no inline script, no framing, so
 * that text from the network (a SIP display name, a syslog line) can never run as code.
 */
final class StaticPages {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private StaticPages() {}

    static HttpHandler handler() {
        ResourceHandler resources = new ResourceHandler(
                        new ClassPathResourceManager(StaticPages.class.getClassLoader(), "web"))
                .setWelcomeFiles("index.html")
                .setDirectoryListingEnabled(false)
                .setCacheTime(0);
        return exchange -> {
            securityHeaders(exchange);
            resources.handleRequest(exchange);
        };
    }

    static void securityHeaders(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(new HttpString("Content-Security-Policy"), CONTENT_SECURITY_POLICY);
        exchange.getResponseHeaders().put(new HttpString("X-Content-Type-Options"), "nosniff");
        exchange.getResponseHeaders().put(new HttpString("Referrer-Policy"), "no-referrer");
        exchange.getResponseHeaders().put(new HttpString("X-Frame-Options"), "DENY");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
    }
}
