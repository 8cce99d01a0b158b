package org.sipbridge.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.ListeningPointImpl;
import java.net.InetSocketAddress;
import java.util.concurrent.LinkedBlockingQueue;
import javax.sip.ListeningPoint;
import org.junit.jupiter.api.Test;
import org.sipbridge.sip.TextSipPeer;

/**
 * The UDP listening points receive into one reused buffer (#19): each datagram is still parsed at its
 * own length (a short one after a long one carries nothing of it), and answers leave from the
 * listening point's own port, as with jain-sip's processor.
 */
class ReusedBufferUdpIT {

    private static final String HOST = AnsweringListener.HOST;

    @Test
    void datagramsOfEveryLengthAreParsedAtTheirOwnLengthAndAnsweredFromTheListeningPort() throws Exception {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (AnsweringListener.Started bare =
                        AnsweringListener.start("reused", (request, transaction) -> received.add(request.toString()));
                TextSipPeer peer = new TextSipPeer(HOST)) {
            int port = bare.port();
            ListeningPoint point = bare.point();

            assertEquals(
                    "InlineUdpProcessor",
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
}
