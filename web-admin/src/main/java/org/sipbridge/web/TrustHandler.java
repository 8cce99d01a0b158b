package org.sipbridge.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import org.sipbridge.contract.tls.CertificateDetails;

/**
 * {@code POST …/trust} with {@code {"sha256": "<fingerprint>"}}: pins the certificate IT saw (the
 * provisioning upstream's, or the central configuration server's). Runs on a worker thread (it
 * writes the pinned store to disk).
 */
final class TrustHandler implements HttpHandler {

    /** Pins the refused certificate if it still has this fingerprint; see {@link UpstreamCertificates#trust}. */
    @FunctionalInterface
    interface Pinning {
        CertificateDetails trust(String sha256Fingerprint) throws Exception;
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Pinning certificates;

    TrustHandler(Pinning certificates) {
        this.certificates = certificates;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        JsonNode body;
        try {
            body = MAPPER.readTree(exchange.getInputStream());
        } catch (IOException e) {
            Json.error(exchange, StatusCodes.BAD_REQUEST, "body must be JSON such as {\"sha256\": \"AB:CD:...\"}");
            return;
        }
        String fingerprint = body == null ? "" : body.path("sha256").asText("");
        if (fingerprint.isBlank()) {
            Json.error(
                    exchange,
                    StatusCodes.BAD_REQUEST,
                    "sha256: the fingerprint of the certificate to trust is required");
            return;
        }
        try {
            Json.send(exchange, StatusCodes.OK, certificates.trust(fingerprint));
        } catch (IllegalArgumentException | IllegalStateException e) {
            Json.error(exchange, StatusCodes.CONFLICT, e.getMessage());
        }
    }
}
