package org.sipbridge.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.ListeningPointImpl;
import java.net.InetSocketAddress;
import java.util.concurrent.LinkedBlockingQueue;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.ToHeader;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.sip.Loopback;
import org.sipbridge.sip.TextSipPeer;

/**
 * The UDP listening points receive into one reused buffer (#19): each datagram is still parsed at its
 * own length (a short one after a long one carries nothing of it), and answers leave from the
 * listening point's own port, as with jain-sip's processor.
 */
class ReusedBufferUdpIT {

    private static final String HOST = "127.0.0.1";

    @Test
    void datagramsOfEveryLengthAreParsedAtTheirOwnLengthAndAnsweredFromTheListeningPort() throws Exception {
        SipStack stack = SipStackFactory.create(
                "reused-" + ProcessHandle.current().pid(),
                BridgeConfig.defaults().protocols());
        try (TextSipPeer peer = new TextSipPeer(HOST)) {
            int port = Loopback.freePort(HOST);
            ListeningPoint point = stack.createListeningPoint(HOST, port, ListeningPoint.UDP);
            SipProvider provider = stack.createSipProvider(point);
            SipStackFactory.Factories factories = SipStackFactory.factories();
            LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
            provider.addSipListener(new Answering(provider, factories, received));
            stack.start();

            assertEquals(
                    "ReusedBufferUdpProcessor",
                    ((ListeningPointImpl) point)
                            .getMessageProcessor()
                            .getClass()
                            .getSimpleName());

            InetSocketAddress bridge = new InetSocketAddress(HOST, port);
            int[] paddings = {6000, 1, 1200, 1};
            for (int i = 0; i < paddings.length; i++) {
                peer.send(options(port, peer.port(), i, paddings[i]), bridge);
                TextSipPeer.Message answer = peer.receive();
                assertEquals(200, answer.status(), "datagram " + i);
                assertEquals("call" + i + "@phone", answer.header("Call-ID"));
                assertEquals(port, answer.from().getPort(), "answered from the listening point's port");
                String request = received.take();
                assertTrue(request.contains("X-Padding: " + "p".repeat(paddings[i]) + "\r\n"), request);
                assertTrue(request.endsWith("Content-Length: 0\r\n\r\n"), "nothing after the message: " + request);
            }
        } finally {
            stack.stop();
        }
    }

    /** Lines end in LF here: {@link TextSipPeer#send} makes them CRLF. */
    private static String options(int port, int peerPort, int n, int padding) {
        return "OPTIONS sip:bridge@" + HOST + ":" + port + " SIP/2.0\n"
                + "Via: SIP/2.0/UDP " + HOST + ":" + peerPort + ";branch=z9hG4bK-reused" + n + "\n"
                + "From: <sip:phone@" + HOST + ">;tag=f" + n + "\nTo: <sip:bridge@" + HOST + ">\n"
                + "Call-ID: call" + n + "@phone\nCSeq: 1 OPTIONS\nMax-Forwards: 70\n"
                + "X-Padding: " + "p".repeat(padding) + "\nContent-Length: 0\n\n";
    }

    /** Answers every request 200 and hands its text to the test. */
    private record Answering(
            SipProvider provider, SipStackFactory.Factories factories, LinkedBlockingQueue<String> received)
            implements SipListener {

        @Override
        public void processRequest(RequestEvent event) {
            try {
                received.add(event.getRequest().toString());
                Response ok = factories.messages().createResponse(Response.OK, event.getRequest());
                ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag("b1");
                provider.getNewServerTransaction(event.getRequest()).sendResponse(ok);
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
}
