package org.sipbridge.provisioning;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A real provisioning server for the tests (the JDK's HTTP server on loopback): serves files with
 * ETag, Last-Modified, Range and conditional requests (chunked, without a length, under /chunked/), accepts PUT, and records every request
 * exactly as it arrived. A few paths behave specially:
 * {@code /auth/...} challenges with Digest until an Authorization header comes;
 * {@code /hop} answers with hop-by-hop headers; {@code /firmware/<n>.sip.ld} streams n generated
 * bytes without storing them.
 */
final class TestUpstream implements AutoCloseable {

    static final String LAST_MODIFIED = "Mon, 02 Nov 2026 10:00:00 GMT";
    static final String DIGEST_CHALLENGE =
            "Digest realm=\"polycom\", nonce=\"dcd98b7102dd2f0e\", qop=\"auth\", algorithm=MD5";
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final Pattern FIRMWARE = Pattern.compile("/firmware/(\\d+)\\.sip\\.ld");

    /** One request as the upstream saw it. */
    record Received(String method, String rawUri, Map<String, List<String>> headers, byte[] body, InetAddress from) {

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : String.join(", ", values);
        }

        boolean has(String name) {
            return headers.containsKey(name.toLowerCase(Locale.ROOT));
        }
    }

    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final List<Received> received = new CopyOnWriteArrayList<>();
    /** Generated firmware bytes written to the proxy so far. */
    final java.util.concurrent.atomic.AtomicLong firmwareWritten = new java.util.concurrent.atomic.AtomicLong();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final boolean secure;

    private TestUpstream(HttpServer server, boolean secure) {
        this.server = server;
        this.secure = secure;
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    static TestUpstream http() throws IOException {
        return http(0);
    }

    static TestUpstream http(int port) throws IOException {
        return new TestUpstream(
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50), false);
    }

    static TestUpstream https(SSLContext context) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        return new TestUpstream(server, true);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:port} plus {@code basePath}. */
    String url(String basePath) {
        return (secure ? "https" : "http") + "://127.0.0.1:" + port() + basePath;
    }

    Received last() {
        return received.get(received.size() - 1);
    }

    static String etag(byte[] content) {
        try {
            return "\""
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(content), 0, 8) + "\"";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The byte at {@code offset} of a generated firmware file. */
    static byte firmwareByte(long offset) {
        return (byte) (offset * 31 + (offset >>> 11));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            Matcher firmware = FIRMWARE.matcher(path);
            byte[] body =
                    firmware.matches() ? new byte[0] : exchange.getRequestBody().readAllBytes();
            received.add(new Received(
                    method,
                    exchange.getRequestURI().toString(),
                    lowerCase(exchange.getRequestHeaders()),
                    body,
                    exchange.getRemoteAddress().getAddress()));
            Headers out = exchange.getResponseHeaders();
            if (firmware.matches()) {
                sendFirmware(exchange, Long.parseLong(firmware.group(1)));
            } else if (path.startsWith("/auth/")) {
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                if (authorization == null) {
                    out.add("WWW-Authenticate", DIGEST_CHALLENGE);
                    send(exchange, 401, "authenticate\n".getBytes(StandardCharsets.US_ASCII));
                } else {
                    send(exchange, 200, ("authorized " + authorization + "\n").getBytes(StandardCharsets.US_ASCII));
                }
            } else if (path.equals("/hop")) {
                out.add("Connection", "X-Upstream-Hop");
                out.add("X-Upstream-Hop", "must not reach the phone");
                out.add("Keep-Alive", "timeout=5");
                out.add("Proxy-Authenticate", "Basic realm=\"upstream proxy\"");
                out.add("X-End-To-End", "kept");
                send(exchange, 200, "hop\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                serveFile(exchange, method, path, body);
            }
        }
    }

    private void serveFile(HttpExchange exchange, String method, String path, byte[] body) throws IOException {
        Headers out = exchange.getResponseHeaders();
        switch (method) {
            case "PUT" -> {
                boolean existed = files.put(path, body) != null;
                send(exchange, existed ? 204 : 201, null);
            }
            case "DELETE" -> send(exchange, files.remove(path) != null ? 204 : 404, null);
            case "POST" ->
                send(exchange, 200, ("received " + body.length + " bytes\n").getBytes(StandardCharsets.US_ASCII));
            case "GET", "HEAD" -> {
                byte[] content = files.get(path);
                if (content == null) {
                    send(exchange, 404, "no such file\n".getBytes(StandardCharsets.US_ASCII));
                    return;
                }
                String etag = etag(content);
                out.add("ETag", etag);
                out.add("Last-Modified", LAST_MODIFIED);
                out.add("Accept-Ranges", "bytes");
                out.add("Content-Type", "application/octet-stream");
                String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
                String ifModifiedSince = exchange.getRequestHeaders().getFirst("If-Modified-Since");
                if (etag.equals(ifNoneMatch) || (ifNoneMatch == null && LAST_MODIFIED.equals(ifModifiedSince))) {
                    send(exchange, 304, null);
                    return;
                }
                String range = exchange.getRequestHeaders().getFirst("Range");
                Matcher m = range == null ? null : RANGE.matcher(range);
                if (m != null && m.matches()) {
                    int first = m.group(1).isEmpty()
                            ? content.length - Integer.parseInt(m.group(2))
                            : Integer.parseInt(m.group(1));
                    int last = m.group(1).isEmpty() || m.group(2).isEmpty()
                            ? content.length - 1
                            : Math.min(Integer.parseInt(m.group(2)), content.length - 1);
                    out.add("Content-Range", "bytes " + first + "-" + last + "/" + content.length);
                    byte[] part = java.util.Arrays.copyOfRange(content, first, last + 1);
                    send(exchange, 206, method.equals("HEAD") ? head(exchange, part.length) : part);
                    return;
                }
                if (path.startsWith("/chunked/") && method.equals("GET")) {
                    exchange.sendResponseHeaders(200, 0); // no length: chunked
                    try (OutputStream chunks = exchange.getResponseBody()) {
                        chunks.write(content);
                    }
                    return;
                }
                send(exchange, 200, method.equals("HEAD") ? head(exchange, content.length) : content);
            }
            default -> send(exchange, 405, null);
        }
    }

    /** HEAD: the length goes in a header, no body (the JDK server rejects a length for HEAD). */
    private static byte[] head(HttpExchange exchange, int length) {
        exchange.getResponseHeaders().add("Content-Length", Integer.toString(length));
        return null;
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        if (body == null || body.length == 0) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void sendFirmware(HttpExchange exchange, long size) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, size);
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = exchange.getResponseBody()) {
            for (long offset = 0; offset < size; ) {
                int n = (int) Math.min(chunk.length, size - offset);
                for (int i = 0; i < n; i++) {
                    chunk[i] = firmwareByte(offset + i);
                }
                out.write(chunk, 0, n);
                offset += n;
                firmwareWritten.addAndGet(n);
            }
        } catch (IOException e) {
            // the reader went away: fine for tests that abort a download
        }
    }

    private static Map<String, List<String>> lowerCase(Headers headers) {
        Map<String, List<String>> result = new ConcurrentHashMap<>();
        headers.forEach((name, values) -> result.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(values)));
        return result;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
