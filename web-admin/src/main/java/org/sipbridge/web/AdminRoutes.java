package org.sipbridge.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.persistence.ConfigJson;
import org.sipbridge.config.schema.SettingCatalog;
import org.sipbridge.config.validation.ConfigException;
import org.sipbridge.config.validation.ConfigProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API behind the configuration pages: {@code /api/config} (read, change, download),
 * {@code /api/adapters}, {@code /api/about}, {@code /api/bridge/connection} and {@code /api/tls}.
 */
final class AdminRoutes {

    private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Every setting with its default, for help texts, restart marks and the Media page's property list. */
    private static final List<SettingHelp> SCHEMA = schema();

    private final AdminSources sources;

    AdminRoutes(AdminSources sources) {
        this.sources = sources;
    }

    void addTo(RoutingHandler routes) {
        routes.get("/api/config", exchange -> Json.send(exchange, StatusCodes.OK, view()))
                .put("/api/config", new BlockingHandler(this::change))
                .get("/api/config/download", this::download)
                .get("/api/config/schema", exchange -> Json.send(exchange, StatusCodes.OK, SCHEMA))
                .get(
                        "/api/adapters",
                        exchange -> Json.send(
                                exchange,
                                StatusCodes.OK,
                                sources.adapters().get().stream()
                                        .map(AdapterChoice::of)
                                        .toList()))
                .get(
                        "/api/about",
                        exchange -> Json.send(
                                exchange, StatusCodes.OK, sources.about().get()))
                .get("/api/tls", exchange -> Json.send(exchange, StatusCodes.OK, tls()))
                .get("/api/bridge/connection", exchange -> sendConnection(exchange))
                .post("/api/bridge/connect", new BlockingHandler(exchange -> {
                    try {
                        sources.connection().connect();
                        log.info("Bridge connected to its servers from the web UI");
                    } catch (Exception e) {
                        Json.error(exchange, StatusCodes.CONFLICT, "cannot connect: " + e.getMessage());
                        return;
                    }
                    sendConnection(exchange);
                }))
                .post("/api/bridge/disconnect", new BlockingHandler(exchange -> {
                    sources.connection().disconnect();
                    log.info("Bridge disconnected from its servers from the web UI");
                    sendConnection(exchange);
                }));
    }

    private ObjectNode view() {
        ObjectNode view = ConfigView.redacted(sources.config().current());
        ArrayNode pending = view.putArray("pendingRestart");
        sources.config().pendingRestart().forEach(pending::add);
        // Keys IT manages centrally: the pages show them read-only with this reason.
        org.sipbridge.config.central.CentralDocument central = sources.config().central();
        ObjectNode managed = view.putObject("managed");
        managed.put("by", central.source());
        managed.put("version", central.version());
        ArrayNode keys = managed.putArray("keys");
        central.managedKeys().forEach(keys::add);
        return view;
    }

    private void change(HttpServerExchange exchange) {
        JsonNode body;
        try {
            body = MAPPER.readTree(exchange.getInputStream());
        } catch (IOException e) {
            sendProblems(exchange, List.of(ConfigProblem.ofDocument("the body is not valid JSON: " + e.getMessage())));
            return;
        }
        try {
            // Merge and apply under the store's lock, so a credentials change in between is not undone.
            synchronized (sources.config()) {
                sources.config().apply(ConfigView.merged(sources.config().current(), body));
            }
        } catch (ConfigException e) {
            sendProblems(exchange, e.problems());
            return;
        } catch (IOException e) {
            log.error("Could not save the configuration", e);
            Json.error(
                    exchange,
                    StatusCodes.INTERNAL_SERVER_ERROR,
                    "the configuration could not be saved, nothing was changed: " + e.getMessage());
            return;
        }
        Json.send(exchange, StatusCodes.OK, view());
    }

    private static void sendProblems(HttpServerExchange exchange, List<ConfigProblem> problems) {
        Json.send(exchange, StatusCodes.BAD_REQUEST, new ConfigErrors(problems));
    }

    private void download(HttpServerExchange exchange) {
        ObjectNode file = ConfigView.redacted(sources.config().current());
        file.withArray("stations").forEach(station -> ((ObjectNode) station).remove("passwordSet"));
        file.with("admin").remove("credentialsSet");
        file.with("management").remove(List.of("passwordSet", "bearerTokenSet"));
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CONTENT_DISPOSITION, "attachment; filename=\"sipbridge.json\"");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(file.toPrettyString() + "\n");
    }

    private void sendConnection(HttpServerExchange exchange) {
        Json.send(
                exchange,
                StatusCodes.OK,
                new ConnectionState(sources.connection().connected()));
    }

    private TlsFacts tls() {
        List<String> suites;
        try {
            suites = List.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites()).stream()
                    .filter(AdminRoutes::offered)
                    .toList();
        } catch (java.security.NoSuchAlgorithmException e) {
            suites = List.of();
        }
        return TlsFacts.of(sources.tls(), suites);
    }

    /** Suites worth offering as checkboxes: real key exchange and encryption (no anon/NULL/export, no SCSV). */
    private static boolean offered(String suite) {
        return !suite.contains("_anon_")
                && !suite.contains("_NULL_")
                && !suite.contains("EXPORT")
                && !suite.endsWith("_SCSV")
                && !suite.contains("_RC4_")
                && !suite.contains("_DES_");
    }

    private static List<SettingHelp> schema() {
        JsonNode defaults = ConfigJson.toTree(BridgeConfig.defaults());
        return SettingCatalog.all().stream()
                .map(setting -> SettingHelp.of(setting, defaults))
                .toList();
    }
}
