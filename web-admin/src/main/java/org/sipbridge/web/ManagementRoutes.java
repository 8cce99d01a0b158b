package org.sipbridge.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.StatusCodes;
import java.io.IOException;

/**
 * {@code /api/management}: central configuration's state for the Bridge page, Sync now, and trusting
 * the server's certificate by its fingerprint (the Untrusted Certificate flow).
 */
final class ManagementRoutes {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final CentralManagement management;

    ManagementRoutes(CentralManagement management) {
        this.management = management;
    }

    void addTo(RoutingHandler routes) {
        routes.get("/api/management", exchange -> Json.send(exchange, StatusCodes.OK, management.view()))
                .post("/api/management/sync", exchange -> {
                    management.syncNow();
                    Json.send(exchange, StatusCodes.ACCEPTED, management.view());
                })
                .post("/api/management/trust", new BlockingHandler(this::trust));
    }

    private void trust(HttpServerExchange exchange) throws Exception {
        JsonNode body;
        try {
            body = MAPPER.readTree(exchange.getInputStream());
        } catch (IOException e) {
            Json.error(exchange, StatusCodes.BAD_REQUEST, "the body is not valid JSON");
            return;
        }
        String fingerprint = body == null ? "" : body.path("sha256Fingerprint").asText("");
        if (fingerprint.isEmpty()) {
            Json.error(exchange, StatusCodes.BAD_REQUEST,
                    "send {\"sha256Fingerprint\": \"...\"}: the fingerprint of the certificate you reviewed");
            return;
        }
        try {
            Json.send(exchange, StatusCodes.OK, management.trust(fingerprint));
        } catch (IllegalArgumentException | IllegalStateException e) {
            Json.error(exchange, StatusCodes.CONFLICT, e.getMessage());
        }
    }
}
