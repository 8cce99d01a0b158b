package org.sipbridge.provisioning.http;

import io.undertow.client.ClientExchange;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Optional;
import org.sipbridge.contract.tls.UntrustedChain;
import org.sipbridge.provisioning.tls.UpstreamTrust;

/**
 * Turns a failed relay into a clear answer for the phone and a reason for the status page.
 *
 * <p>When Undertow's {@code ProxyHandler} cannot relay, it ends the exchange with 503 (or 500) and no
 * body. That is the wrong status for a gateway (503 here means "no upstream configured"), so this
 * registers a default-response listener, which Undertow runs only when an exchange ends without a
 * response having been started, i.e. only for the proxy's own failures, never for an upstream's
 * answer. It sends 502, or 504 after a connect timeout, naming the cause.
 */
public final class UpstreamFailureResponse implements HttpHandler {

    private final UpstreamHealth health;
    private final UpstreamTrust trust;
    private final HttpHandler next;

    public UpstreamFailureResponse(UpstreamHealth health, UpstreamTrust trust, HttpHandler next) {
        this.health = health;
        this.trust = trust;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        long startedNanos = System.nanoTime();
        UpstreamUrl upstream = exchange.getAttachment(UpstreamUrl.KEY);
        exchange.addDefaultResponseListener(ex -> {
            if (ex.isResponseStarted()) {
                return false;
            }
            UpstreamFailure failure = explain(ex, startedNanos);
            health.failed(upstream, failure);
            ex.setStatusCode(failure.statusCode());
            PlainText.send(
                    ex, "sipbridge could not relay this request to the provisioning server: " + failure.cause() + "\n");
            return true;
        });
        // Before the first byte goes to the phone, so the status page is right by the time it has the answer.
        exchange.addResponseCommitListener(ex -> {
            ClientExchange relayed = ex.getAttachment(TransparentClientConnection.UPSTREAM_EXCHANGE);
            if (relayed != null && relayed.getResponse() != null) {
                health.answered();
            }
        });
        next.handleRequest(exchange);
    }

    /** The most specific cause: connect-time failures, then a refused certificate, then the rest. */
    private UpstreamFailure explain(HttpServerExchange exchange, long startedNanos) {
        UpstreamFailure noted = exchange.getAttachment(UpstreamFailure.KEY);
        if (noted != null && noted.kind() != UpstreamFailure.Kind.RELAY) {
            return noted;
        }
        Optional<UntrustedChain> refused = trust.refusedSince(startedNanos);
        if (refused.isPresent()) {
            UntrustedChain chain = refused.get();
            return new UpstreamFailure(
                    UpstreamFailure.Kind.UNTRUSTED_CERTIFICATE,
                    chain.problem() + " (" + chain.leaf().subject() + ", SHA-256 "
                            + chain.leaf().sha256Fingerprint() + ")");
        }
        if (noted != null) {
            return noted;
        }
        return new UpstreamFailure(
                UpstreamFailure.Kind.RELAY, "the provisioning server closed the connection before answering");
    }
}
