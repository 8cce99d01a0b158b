package org.sipbridge.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import gov.nist.javax.sip.stack.SIPServerTransactionImpl;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sip.ServerTransaction;
import org.junit.jupiter.api.Test;
import org.sipbridge.sip.TextSipPeer;

/**
 * A finished transaction keeps only what a retransmission needs (#19): its parsed request is let go
 * (it lingers 32 s for its timers over UDP, and at a few hundred transactions a second those
 * requests were most of the heap the collector kept copying), and a retransmitted request still
 * gets the same final response, byte for byte.
 */
class FinishedTransactionsIT {

    private static final String HOST = AnsweringListener.HOST;

    @Test
    void aFinishedServerTransactionLetsGoOfItsRequestAndStillAnswersRetransmissions() throws Exception {
        BlockingQueue<ServerTransaction> answered = new ArrayBlockingQueue<>(4);
        try (AnsweringListener.Started bare =
                        AnsweringListener.start("finished", (request, transaction) -> answered.add(transaction));
                TextSipPeer peer = new TextSipPeer(HOST)) {
            int port = bare.port();

            String options = "OPTIONS sip:bridge@" + HOST + ":" + port + " SIP/2.0\n"
                    + "Via: SIP/2.0/UDP " + HOST + ":" + peer.port() + ";branch=z9hG4bK-finished1\n"
                    + "From: <sip:phone@" + HOST + ">;tag=f1\nTo: <sip:bridge@" + HOST + ">\n"
                    + "Call-ID: finished@phone\nCSeq: 1 OPTIONS\nMax-Forwards: 70\nContent-Length: 0\n\n";
            InetSocketAddress bridge = new InetSocketAddress(HOST, port);
            peer.send(options, bridge);
            TextSipPeer.Message first = peer.receive();
            ServerTransaction transaction = answered.poll(5, TimeUnit.SECONDS);
            assertNotNull(transaction, "the listener answered");
            assertEquals(200, first.status());

            assertNull(
                    ((SIPServerTransactionImpl) transaction).getOriginalRequest(),
                    "the completed transaction let go of its parsed request");
            peer.send(options, bridge);
            TextSipPeer.Message again = peer.receive();
            assertEquals(first.text(), again.text(), "the retransmission got the same final response");
            assertNull(answered.poll(200, TimeUnit.MILLISECONDS), "the retransmission was absorbed by the transaction");
        }
    }
}
