package org.sipbridge.sip;

import javax.sip.ClientTransaction;
import javax.sip.message.Response;

/**
 * What to do with the outcome of a request the bridge sent. Exactly one of the callbacks ends an
 * exchange: a final response, or {@link #onNoAnswer} after the configured retries or a transport
 * failure. Provisional responses may come before.
 */
public interface Exchange {

    void onResponse(Response response, ClientTransaction transaction);

    /** No answer after the configured retries, or the connection failed; {@code why} says which. */
    void onNoAnswer(ClientTransaction transaction, String why);
}
