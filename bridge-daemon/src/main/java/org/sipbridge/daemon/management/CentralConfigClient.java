package org.sipbridge.daemon.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.sipbridge.config.ManagementSettings;
import org.sipbridge.config.central.CentralDocument;

/**
 * Fetches this bridge's central document: {@code <url><bridge id>.json} merged over
 * {@code <url>default.json} (either may be missing, not both), with conditional requests so an
 * unchanged document costs the server a 304. Bodies are capped, since the server is only trusted to
 * send settings, not to fill memory.
 */
final class CentralConfigClient {

    static final int MAX_BODY_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One file's last answer, to ask "changed since?" and to reuse its body on 304. */
    private record Cached(String etag, String lastModified, ObjectNode body) {}

    private final HttpClient http;
    private final Map<URI, Cached> cache = new HashMap<>();

    CentralConfigClient(SSLContext tls) {
        this.http = HttpClient.newBuilder()
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * The merged document for {@code bridgeId}.
     *
     * @throws IOException        the server could not be reached or answered an error (the message says which URL)
     * @throws BadDocumentException a file is not a JSON object
     */
    synchronized CentralDocument fetch(ManagementSettings settings, String bridgeId)
            throws IOException, InterruptedException, BadDocumentException {
        URI own = URI.create(settings.url()
                + URLEncoder.encode(bridgeId, StandardCharsets.UTF_8).replace("+", "%20") + ".json");
        URI fallback = URI.create(settings.url() + "default.json");
        Optional<ObjectNode> specific = get(own, settings);
        Optional<ObjectNode> general = get(fallback, settings);
        if (specific.isEmpty() && general.isEmpty()) {
            throw new IOException("neither " + own + " nor " + fallback + " exists (404)");
        }
        List<String> sources = new ArrayList<>();
        general.ifPresent(d -> sources.add(fallback.toString()));
        specific.ifPresent(d -> sources.add(own.toString()));
        ObjectNode merged = CentralDocument.merged(
                general.orElse(JsonNodeFactory.instance.objectNode()),
                specific.orElse(JsonNodeFactory.instance.objectNode()));
        return new CentralDocument(merged, String.join(" + ", sources), digest(merged));
    }

    /** The file at {@code uri}, empty on 404. */
    private Optional<ObjectNode> get(URI uri, ManagementSettings settings)
            throws IOException, InterruptedException, BadDocumentException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(20))
                .header("Accept", "application/json")
                .header("User-Agent", "sipbridge");
        if (!settings.userName().isEmpty()) {
            String basic = settings.userName() + ":" + settings.password();
            request.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        } else if (!settings.bearerToken().isEmpty()) {
            request.header("Authorization", "Bearer " + settings.bearerToken());
        }
        Cached cached = cache.get(uri);
        if (cached != null && cached.etag() != null) {
            request.header("If-None-Match", cached.etag());
        }
        if (cached != null && cached.lastModified() != null) {
            request.header("If-Modified-Since", cached.lastModified());
        }
        HttpResponse<InputStream> response =
                http.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status == 304 && cached != null) {
                return Optional.of(cached.body());
            }
            if (status == 404) {
                cache.remove(uri);
                return Optional.empty();
            }
            if (status != 200) {
                throw new IOException(uri + " answered HTTP " + status
                        + (status == 401 || status == 403
                                ? " (check management.userName/password or management.bearerToken)"
                                : ""));
            }
            byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new BadDocumentException(uri + " is larger than " + MAX_BODY_BYTES + " bytes");
            }
            JsonNode document;
            try {
                document = JSON.readTree(bytes);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new BadDocumentException(uri + " is not valid JSON: " + e.getOriginalMessage());
            }
            if (document == null || !document.isObject()) {
                throw new BadDocumentException(uri + " must hold a JSON object such as {\"bridge\": {...}}");
            }
            cache.put(
                    uri,
                    new Cached(
                            response.headers().firstValue("ETag").orElse(null),
                            response.headers().firstValue("Last-Modified").orElse(null),
                            (ObjectNode) document));
            return Optional.of((ObjectNode) document);
        }
    }

    private static String digest(JsonNode document) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(document.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server sent something that is not a config document. */
    static final class BadDocumentException extends Exception {
        BadDocumentException(String message) {
            super(message);
        }
    }
}
