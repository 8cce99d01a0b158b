package org.sipbridge.provisioning.http;

import io.undertow.attribute.ExchangeAttribute;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.ResponseCodeHandler;
import io.undertow.server.handlers.proxy.ProxyClient;
import io.undertow.server.handlers.proxy.ProxyHandler;
import io.undertow.util.Headers;
import java.util.Optional;
import java.util.function.Supplier;
import org.sipbridge.provisioning.inject.ConfigInjectionHandler;
import org.sipbridge.provisioning.inject.InjectionSettings;
import org.sipbridge.provisioning.inject.ProvisionedPhones;
import org.sipbridge.provisioning.inject.ServedConfigHandler;
import org.sipbridge.provisioning.tls.UpstreamTrust;
import org.sipbridge.provisioning.transfer.TransferLog;
import org.sipbridge.provisioning.transfer.TransferTrackingHandler;

/**
 * The handler chain, one concern per handler, outermost first:
 * <pre>
 * TransferTrackingHandler   counts bytes for the status page
 *  AllowedMethods           GET HEAD PUT POST DELETE, else 405
 *   PathGuard               canonical paths inside the base path only, else 400; relays the canonical form
 *    ServedConfigHandler    answers sipbridge-&lt;MAC&gt;.cfg itself (the file the injection adds)
 *     UpstreamRouting       the upstream for this request, else 503
 *      HopByHopHeaders      strips hop-by-hop headers both ways
 *       ConfigInjectionHandler  puts the bridge's file first in a Polycom master's CONFIG_FILES
 *        UpstreamFailureResponse  502/504 with the cause when relaying fails
 *         ProxyHandler (Undertow) relays, streaming both ways; connections from UpstreamConnector
 * </pre>
 */
public final class ProxyChain {

    private ProxyChain() {}

    public static HttpHandler build(
            TransferLog transfers,
            Supplier<Optional<UpstreamUrl>> upstream,
            Supplier<InjectionSettings> injection,
            ProvisionedPhones phones,
            ProxyClient connector,
            UpstreamHealth health,
            UpstreamTrust trust) {
        HttpHandler proxy = ProxyHandler.builder()
                .setProxyClient(connector)
                // Retrying would resend bodies and double the wait; the phone retries by itself.
                .setMaxConnectionRetries(0)
                // No overall time limit: firmware over a slow VPN takes as long as it takes; stalls are
                // caught by the read/write idle timeouts instead.
                .setMaxRequestTime(-1)
                .setRewriteHostHeader(false)
                .addRequestHeader(
                        Headers.HOST,
                        attribute(exchange ->
                                exchange.getAttachment(UpstreamUrl.KEY).hostHeader()))
                // One connection per request (see UpstreamConnector): tell the upstream so.
                .addRequestHeader(Headers.CONNECTION, attribute(exchange -> "close"))
                .setNext(ResponseCodeHandler.HANDLE_404)
                .build();
        return new TransferTrackingHandler(
                transfers,
                new AllowedMethods(new PathGuard(new ServedConfigHandler(
                        injection,
                        phones,
                        new UpstreamRouting(
                                upstream,
                                new HopByHopHeaders(new ConfigInjectionHandler(
                                        injection, new UpstreamFailureResponse(health, trust, proxy))))))));
    }

    private static ExchangeAttribute attribute(java.util.function.Function<HttpServerExchange, String> value) {
        return new ExchangeAttribute() {
            @Override
            public String readAttribute(HttpServerExchange exchange) {
                return value.apply(exchange);
            }

            @Override
            public void writeAttribute(HttpServerExchange exchange, String newValue) {
                throw new UnsupportedOperationException("read-only");
            }
        };
    }
}
