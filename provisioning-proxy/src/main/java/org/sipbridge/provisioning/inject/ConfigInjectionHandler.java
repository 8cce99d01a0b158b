package org.sipbridge.provisioning.inject;

import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.util.Locale;
import java.util.function.Supplier;
import org.sipbridge.contract.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Edits Polycom master configuration files on their way to the phone ({@link MasterConfigInjection});
 * every other answer passes untouched.
 *
 * <p>Only a GET of a {@code .cfg} path can be a master. For those, the request goes upstream without
 * validators, ranges or content codings ({@code If-None-Match}, {@code If-Modified-Since}, {@code Range},
 * {@code If-Range}, {@code Accept-Encoding}): the bridge must see the whole, current, plain file to
 * decide, and a 304 or 206 for the upstream's version would hand the phone the master without the
 * bridge's file. Configuration files are a few kilobytes; firmware ({@code .ld}) keeps all of this.
 * A 200 answer of at most {@link #MAX_MASTER_BYTES} is held until complete; when it was edited, its
 * Content-Length is the new length and the upstream's {@code ETag} and {@code Last-Modified} are removed
 * (they describe another body), so nothing can later revalidate the edited file against them.
 */
public final class ConfigInjectionHandler implements HttpHandler {

    /** Masters are a few kilobytes (CONFIG_FILES is at most 2047 characters); anything larger streams. */
    static final int MAX_MASTER_BYTES = 256 * 1024;

    private static final Logger log = LoggerFactory.getLogger(ConfigInjectionHandler.class);

    private final Supplier<InjectionSettings> settings;
    private final HttpHandler next;

    public ConfigInjectionHandler(Supplier<InjectionSettings> settings, HttpHandler next) {
        this.settings = settings;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (settings.get().enabled()
                && exchange.getRequestPath().toLowerCase(Locale.ROOT).endsWith(".cfg")) {
            if (exchange.getRequestMethod().equals(Methods.GET)) {
                HeaderMap request = exchange.getRequestHeaders();
                request.remove(Headers.IF_NONE_MATCH);
                request.remove(Headers.IF_MODIFIED_SINCE);
                request.remove(Headers.RANGE);
                request.remove(Headers.IF_RANGE);
                request.remove(Headers.ACCEPT_ENCODING);
                String path = exchange.getRequestPath();
                exchange.addResponseWrapper((factory, ex) -> mayBeMaster(ex)
                        ? new BufferingSinkConduit(factory, ex, body -> edit(ex, path, body), MAX_MASTER_BYTES)
                        : factory.create());
            } else if (exchange.getRequestMethod().equals(Methods.HEAD)) {
                // The GET of a master carries neither; HEAD must not hand out validators for another body.
                exchange.addResponseCommitListener(ex -> {
                    ex.getResponseHeaders().remove(Headers.ETAG);
                    ex.getResponseHeaders().remove(Headers.LAST_MODIFIED);
                });
            }
        }
        next.handleRequest(exchange);
    }

    private static boolean mayBeMaster(HttpServerExchange exchange) {
        HeaderMap headers = exchange.getResponseHeaders();
        String coding = headers.getFirst(Headers.CONTENT_ENCODING);
        long length = exchange.getResponseContentLength();
        // BufferingSinkConduit signals writability through the HTTP/1.1 connection's channel.
        return exchange.getConnection() instanceof AbstractServerConnection
                && exchange.getStatusCode() == StatusCodes.OK
                && (coding == null || coding.equalsIgnoreCase("identity"))
                && length <= MAX_MASTER_BYTES;
    }

    private static byte[] edit(HttpServerExchange exchange, String path, byte[] body) {
        MasterConfigInjection.Result result;
        try {
            result = MasterConfigInjection.inject(body, BridgeServedConfig.ENTRY);
        } catch (RuntimeException e) {
            // Never leave the phone without its file: relay it as it came.
            log.warn("Relayed {} unchanged: the configuration injection failed", LogText.bounded(path), e);
            return body;
        }
        if (result instanceof MasterConfigInjection.Injected injected) {
            HeaderMap headers = exchange.getResponseHeaders();
            headers.remove(Headers.ETAG);
            headers.remove(Headers.LAST_MODIFIED);
            headers.remove(Headers.CONTENT_MD5);
            headers.remove(Headers.TRANSFER_ENCODING);
            headers.put(Headers.CONTENT_LENGTH, injected.body().length);
            log.info(
                    "Master configuration file {}: {} put first in {}",
                    LogText.bounded(path),
                    BridgeServedConfig.ENTRY,
                    String.join(", ", injected.attributes()));
            return injected.body();
        }
        if (result instanceof MasterConfigInjection.Malformed malformed) {
            log.warn(
                    "Relayed the master configuration file {} unchanged, without the bridge's file: {}",
                    LogText.bounded(path),
                    LogText.bounded(malformed.reason()));
        }
        return body;
    }
}
