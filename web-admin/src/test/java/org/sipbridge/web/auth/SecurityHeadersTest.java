package org.sipbridge.web.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.AdminSettings;

/** The gates that only add headers or pass a request on, tested without a listener. */
class SecurityHeadersTest {

    @Test
    void everyAnswerForbidsSniffingReferrerAndFramingAndApiAnswersAreNotCached() throws Exception {
        AtomicReference<HttpServerExchange> passed = new AtomicReference<>();
        HttpServerExchange api = exchange("/api/status");
        new SecurityHeaders(passed::set).handleRequest(api);
        assertSame(api, passed.get());
        assertEquals("nosniff", api.getResponseHeaders().getFirst("X-Content-Type-Options"));
        assertEquals("no-referrer", api.getResponseHeaders().getFirst("Referrer-Policy"));
        assertEquals("DENY", api.getResponseHeaders().getFirst("X-Frame-Options"));
        assertEquals("no-store", api.getResponseHeaders().getFirst(Headers.CACHE_CONTROL));

        HttpServerExchange page = exchange("/index.html");
        new SecurityHeaders(passed::set).handleRequest(page);
        assertEquals("DENY", page.getResponseHeaders().getFirst("X-Frame-Options"));
        assertNull(page.getResponseHeaders().getFirst(Headers.CACHE_CONTROL));
    }

    @Test
    void withALoginSetTheOpenUiRuleLetsEveryListenerAndHostThrough() throws Exception {
        AtomicReference<HttpServerExchange> passed = new AtomicReference<>();
        HttpServerExchange request = exchange("/api/status");
        request.getRequestHeaders().put(Headers.HOST, "bridge.example:8080");
        new OpenUiGate(() -> new AdminSettings("admin", "pbkdf2-sha256$1000$c2FsdA==$aGFzaA=="), false, passed::set)
                .handleRequest(request);
        assertSame(request, passed.get());
    }

    private static HttpServerExchange exchange(String path) {
        HttpServerExchange exchange = new HttpServerExchange(null);
        exchange.setRequestPath(path);
        exchange.setRelativePath(path);
        return exchange;
    }
}
