package gov.nist.javax.sip.stack;

import gov.nist.core.CommonLogger;
import gov.nist.core.StackLogger;
import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.SipListener;

/**
 * jain-sip's message processor factory (the stack's {@code MESSAGE_PROCESSOR_FACTORY}) with its own UDP
 * processor ({@link InlineUdpProcessor}): one thread per UDP listening point receives each datagram into
 * one reused buffer and parses and matches it itself. TCP and TLS are jain-sip's own.
 *
 * <p>It lives in jain-sip's package because a UDP processor must set the stack's package-private
 * {@code udpFlag} (without it jain-sip sends UDP from a new socket per message instead of the listening
 * point's) and uses the processor's protected socket, queue and running flag.
 */
public class ReusedBufferMessageProcessorFactory extends OIOMessageProcessorFactory {

    @Override
    public MessageProcessor createMessageProcessor(
            SIPTransactionStack sipStack, InetAddress ipAddress, int port, String transport) throws IOException {
        if (!transport.equalsIgnoreCase(ListeningPoint.UDP)) {
            return super.createMessageProcessor(sipStack, ipAddress, port, transport);
        }
        MessageProcessor processor = new InlineUdpProcessor(ipAddress, sipStack, port);
        sipStack.udpFlag = true;
        return processor;
    }

    /**
     * jain-sip's UDP processor with two changes (#19):
     *
     * <ul>
     *   <li>Its one thread ({@code MessageProcessorThread-UDP-<address>/<port>}) also parses each datagram
     *       and matches it to its transaction, in arrival order. jain-sip's receive thread queued every
     *       datagram for separate {@code UDPMessageChannelThread}s: one idle thread more per listening
     *       point, and a thread hand-off per datagram. Waiting datagrams now wait in the socket's receive
     *       buffer (jain-sip's {@code RECEIVE_UDP_BUFFER_SIZE}), which the kernel bounds and overflows by
     *       dropping the newest; jain-sip's queue was unbounded, which is why stale datagrams had to be
     *       dropped from it under a flood.
     *   <li>Every datagram is received into one reused buffer and copied at its own length: jain-sip
     *       allocated a new 64 KiB array per datagram, 46 % of the bridge's allocated bytes under load.
     * </ul>
     *
     * <p>How: the thread runs jain-sip's own {@link UDPMessageChannel#run} loop (a channel made by the
     * constructor that starts no thread), whose queue is {@link SocketAsQueue}: taking from it receives from
     * the socket. jain-sip's parsing, 400 answers, keepalive pings and transaction matching stay its own. A
     * jain-sip upgrade must re-check that loop (1.3.0-91: {@code messageQueue.take()}, then the running flag,
     * then {@code processIncomingDataPacket}, one datagram at a time) and this receive loop against
     * {@code UDPMessageProcessor.run}.
     */
    static final class InlineUdpProcessor extends UDPMessageProcessor {
        private static final StackLogger logger = CommonLogger.getLogger(InlineUdpProcessor.class);
        private static final int MAX_EXCEPTIONS_TO_REPORT = 10;

        private final byte[] buffer;
        private int exceptionsReported;

        InlineUdpProcessor(InetAddress ipAddress, SIPTransactionStack sipStack, int port) throws IOException {
            super(ipAddress, sipStack, port);
            if (sipStack.threadPoolSize <= 0) {
                // jain-sip's channel takes from the queue only in its pooled mode; otherwise it runs one
                // datagram on a new thread each.
                sock.close();
                throw new IOException("gov.nist.javax.sip.THREAD_POOL_SIZE must be set for the in-line UDP processor");
            }
            int maxMessageSize = sipStack.getMaxMessageSize();
            buffer = new byte
                    [maxMessageSize > 0 && maxMessageSize < SipStackImpl.MAX_DATAGRAM_SIZE
                            ? maxMessageSize
                            : SipStackImpl.MAX_DATAGRAM_SIZE];
            messageQueue = new SocketAsQueue();
            messageChannels = new LinkedList<>(); // stop() reads it, even before run()
        }

        @Override
        public void run() {
            // The address and port are the channel's first peer, replaced by each datagram's sender.
            new UDPMessageChannel(getIpAddress(), getPort(), sipStack, this).run(); // returns once stopped
        }

        /**
         * The queue jain-sip's channel takes datagrams from: taking receives the next one from the socket,
         * so nothing is ever queued here (it stays empty, so the listening point is never "in use").
         */
        private final class SocketAsQueue extends LinkedBlockingQueue<DatagramQueuedMessageDispatch> {
            private static final long serialVersionUID = 1L;
            private final transient DatagramPacket received = new DatagramPacket(buffer, buffer.length);

            @Override
            public DatagramQueuedMessageDispatch take() throws InterruptedException {
                for (; ; ) {
                    DatagramQueuedMessageDispatch next = receive();
                    if (next != null) {
                        return next;
                    }
                }
            }

            /** jain-sip's channel polls instead of taking when its thread auditor is on: the socket then times out. */
            @Override
            public DatagramQueuedMessageDispatch poll(long timeout, TimeUnit unit) throws InterruptedException {
                return receive();
            }

            /**
             * The next datagram, a copy at its length; null after a socket timeout (the thread auditor's ping
             * interval) or a reported error. Throws InterruptedException once the processor is stopped: the
             * channel's loop then sees the running flag down and returns.
             */
            private DatagramQueuedMessageDispatch receive() throws InterruptedException {
                try {
                    received.setLength(buffer.length); // receive() shrank it to the last datagram's length
                    sock.receive(received);
                    exceptionsReported = 0;
                    int length = received.getLength();
                    DatagramPacket copy = new DatagramPacket(
                            Arrays.copyOf(buffer, length), length, received.getAddress(), received.getPort());
                    return new DatagramQueuedMessageDispatch(copy, System.currentTimeMillis());
                } catch (SocketTimeoutException e) {
                    return null;
                } catch (SocketException e) {
                    if (!isRunning) {
                        throw new InterruptedException("UDP listening point stopped");
                    }
                    report(e);
                    return null;
                } catch (IOException | RuntimeException e) {
                    report(e);
                    return null;
                }
            }
        }

        /** As jain-sip: at most ten in a row are logged and given to the listener, then silence. */
        private void report(Exception e) {
            if (exceptionsReported >= MAX_EXCEPTIONS_TO_REPORT) {
                return;
            }
            exceptionsReported++;
            String host = sock.getLocalAddress().getHostAddress();
            logger.logWarning("Caught '" + e.getClass().getSimpleName() + "' on UDP receive socket on " + host + ":"
                    + getPort() + ", message '" + e.getMessage() + "'. Trying to ignore it");
            logger.logException(e);
            SipListener listener = sipStack.getSipListener();
            if (listener != null) {
                listener.processIOException(new IOExceptionEvent(this, host, getPort(), getTransport()));
            }
        }
    }
}
