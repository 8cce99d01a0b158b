package org.sipbridge.sip.stack;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.sip.Loopback;

/**
 * A bare stack for tests, as the relay configures it (SipStackFactory), with one UDP listening point
 * on a free loopback port whose listener answers every request 200 in a new server transaction and
 * hands both on.
 */
record AnsweringListener(
        SipProvider provider, SipStackFactory.Factories factories, BiConsumer<Request, ServerTransaction> answered)
        implements SipListener {

    static final String HOST = "127.0.0.1";

    /** The stack (started), its listening point and that point's port; {@code close} stops the stack. */
    record Started(SipStack stack, ListeningPoint point, int port, ScheduledExecutorService timer)
            implements AutoCloseable {
        @Override
        public void close() {
            stack.stop();
            timer.shutdownNow();
        }
    }

    static Started start(String name, BiConsumer<Request, ServerTransaction> answered) throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        SipStack stack = SipStackFactory.create(
                name + "-" + ProcessHandle.current().pid(),
                BridgeConfig.defaults().protocols(),
                timer);
        int port = Loopback.freePort(HOST);
        ListeningPoint point = stack.createListeningPoint(HOST, port, ListeningPoint.UDP);
        SipProvider provider = stack.createSipProvider(point);
        provider.addSipListener(new AnsweringListener(provider, SipStackFactory.factories(), answered));
        stack.start();
        return new Started(stack, point, port, timer);
    }

    @Override
    public void processRequest(RequestEvent event) {
        try {
            ServerTransaction transaction = provider.getNewServerTransaction(event.getRequest());
            Response ok = factories.messages().createResponse(Response.OK, event.getRequest());
            ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag("b1");
            transaction.sendResponse(ok);
            answered.accept(event.getRequest(), transaction);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {}

    @Override
    public void processTimeout(TimeoutEvent event) {}

    @Override
    public void processIOException(IOExceptionEvent event) {}

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {}

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {}
}
