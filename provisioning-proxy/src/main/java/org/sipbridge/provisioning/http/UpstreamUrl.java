package org.sipbridge.provisioning.http;

import io.undertow.util.AttachmentKey;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The office provisioning server as the proxy uses it: where to connect, which Host to send, and
 * which base path to put before the phone's path ({@code https://prov.corp/polycom/} turns
 * {@code /0004f2aabbcc.cfg} into {@code /polycom/0004f2aabbcc.cfg}).
 *
 * @param text     the URL as configured
 * @param secure   https rather than http
 * @param host     host name or address literal (IPv6 in brackets)
 * @param port     the port, defaults applied
 * @param basePath the path prefix without a trailing slash; empty for none
 */
public record UpstreamUrl(String text, boolean secure, String host, int port, String basePath) {

    /** The upstream chosen for an exchange, so every stage uses the same one even if it changes. */
    public static final AttachmentKey<UpstreamUrl> KEY = AttachmentKey.create(UpstreamUrl.class);

    /** Parses an {@code http://} or {@code https://} URL; the config validator has vetted it already. */
    public static UpstreamUrl parse(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + text + " (" + e.getReason() + ")", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("the provisioning upstream must be an http:// or https:// URL: " + text);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the provisioning upstream has no host: " + text);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "the provisioning upstream must not carry a query, fragment or user: " + text);
        }
        boolean secure = scheme.equals("https");
        int port = uri.getPort() != -1 ? uri.getPort() : secure ? 443 : 80;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new UpstreamUrl(text.trim(), secure, uri.getHost(), port, path);
    }

    /** Where to connect: scheme, host and port only (the base path is added per request). */
    public URI connectUri() {
        try {
            return new URI(secure ? "https" : "http", null, unbracketedHost(), port, null, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Host header the upstream's virtual hosting expects: its own name, not the bridge's. */
    public String hostHeader() {
        return port == (secure ? 443 : 80) ? host : host + ":" + port;
    }

    /** Whether the host is an address literal, so no name lookup is needed. */
    public boolean hostIsLiteral() {
        return host.startsWith("[") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    public String unbracketedHost() {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    @Override
    public String toString() {
        return text;
    }
}
