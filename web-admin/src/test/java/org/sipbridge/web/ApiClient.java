package org.sipbridge.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A browser-like API client for tests: keeps the session cookie and sends the session's CSRF token on changes. */
final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    final CookieManager cookies = new CookieManager();
    final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).build();
    private final String base;
    String csrfToken;

    ApiClient(String base) {
        this.base = base;
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("X-Requested-With", "fetch");
    }

    HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(request(path).build());
    }

    /** Loads /api/session (creating the session cookie) and remembers its CSRF token. */
    HttpResponse<String> session() throws Exception {
        HttpResponse<String> response = get("/api/session");
        csrfToken = JSON.readTree(response.body()).path("csrfToken").asText();
        return response;
    }

    /** A change with this session's CSRF token (fetched first if not known yet). */
    HttpResponse<String> send(String method, String path, String body) throws Exception {
        if (csrfToken == null) {
            session();
        }
        return send(request(path)
                .header("X-CSRF-Token", csrfToken)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }
}
