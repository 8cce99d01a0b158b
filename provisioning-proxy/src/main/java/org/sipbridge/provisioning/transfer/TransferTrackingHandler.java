package org.sipbridge.provisioning.transfer;

import io.undertow.conduits.BytesReceivedStreamSourceConduit;
import io.undertow.conduits.BytesSentStreamSinkConduit;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;

/**
 * Records each request in the {@link TransferLog}. Bytes are counted by wrapping the exchange's
 * request and response conduits with Undertow's counting conduits (entity bytes, before chunked
 * coding), so nothing is buffered and the relaying code never touches a counter.
 */
public final class TransferTrackingHandler implements HttpHandler {

    private final TransferLog log;
    private final HttpHandler next;

    public TransferTrackingHandler(TransferLog log, HttpHandler next) {
        this.log = log;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        boolean upload = exchange.getRequestMethod().equals(Methods.PUT)
                || exchange.getRequestMethod().equals(Methods.POST);
        LiveTransfer transfer = log.begin(
                exchange.getRequestMethod().toString(),
                exchange.getRequestPath(),
                upload ? Transfer.Direction.UPLOAD : Transfer.Direction.DOWNLOAD,
                upload ? exchange.getRequestContentLength() : -1);
        if (upload) {
            exchange.addRequestWrapper(
                    (factory, ex) -> new BytesReceivedStreamSourceConduit(factory.create(), transfer::moved));
        } else {
            exchange.addResponseWrapper(
                    (factory, ex) -> new BytesSentStreamSinkConduit(factory.create(), transfer::moved));
        }
        exchange.addResponseCommitListener(ex -> transfer.responding(ex.getStatusCode(), announcedBody(ex)));
        exchange.addExchangeCompleteListener((ex, nextListener) -> {
            transfer.finish(ex.getStatusCode());
            log.reportFinished(ex.getSourceAddress().getAddress().getHostAddress(), transfer);
            nextListener.proceed();
        });
        next.handleRequest(exchange);
    }

    /** HEAD, 204 and 304 carry no body, whatever Content-Length says. */
    private static long announcedBody(HttpServerExchange exchange) {
        int status = exchange.getStatusCode();
        if (exchange.getRequestMethod().equals(Methods.HEAD) || status == 204 || status == 304 || status < 200) {
            return 0;
        }
        return exchange.getResponseContentLength();
    }
}
