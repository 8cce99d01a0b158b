package org.sipbridge.web;

import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.StatusCodes;

/**
 * {@code /api/management}: central configuration's state for the Bridge page, Sync now, and trusting
 * the server's certificate by its fingerprint (the same Untrusted Certificate flow as the provisioning
 * upstream's).
 */
final class ManagementRoutes {

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
                .post("/api/management/trust", new BlockingHandler(new TrustHandler(management::trust)));
    }
}
