package org.sipbridge.sip.stack;

import java.util.function.BiConsumer;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/** A bare stack's listener for tests: answers every request 200 in a new server transaction and hands both on. */
record AnsweringListener(
        SipProvider provider, SipStackFactory.Factories factories, BiConsumer<Request, ServerTransaction> answered)
        implements SipListener {

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
