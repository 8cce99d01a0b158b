package gov.nist.javax.sip.stack;

import gov.nist.core.CommonLogger;
import gov.nist.core.StackLogger;
import gov.nist.core.ThreadAuditor;
import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.LinkedList;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.SipListener;

/**
 * jain-sip's message processor factory (the stack's {@code MESSAGE_PROCESSOR_FACTORY}) with one change:
 * a UDP listening point receives every datagram into one reused buffer and queues a copy of exactly the
 * datagram's length. jain-sip's own processor allocates a new 64 KiB array per datagram, which was 46 % of
 * the bridge's allocated bytes under load and kept the small young generation collecting (#19).
 *
 * <p>It lives in jain-sip's package because a UDP processor must set the stack's package-private
 * {@code udpFlag} (without it jain-sip sends UDP from a new socket per message instead of the listening
 * point's) and read its protected thread-pool size and running flag. TCP and TLS are jain-sip's own.
 */
public class ReusedBufferMessageProcessorFactory extends OIOMessageProcessorFactory {

    @Override
    public MessageProcessor createMessageProcessor(
            SIPTransactionStack sipStack, InetAddress ipAddress, int port, String transport) throws IOException {
        if (!transport.equalsIgnoreCase(ListeningPoint.UDP)) {
            return super.createMessageProcessor(sipStack, ipAddress, port, transport);
        }
        MessageProcessor processor = new ReusedBufferUdpProcessor(ipAddress, sipStack, port);
        sipStack.udpFlag = true;
        return processor;
    }

    /** jain-sip's UDP processor with its receive loop (UDPMessageProcessor.run) reusing one buffer. */
    static final class ReusedBufferUdpProcessor extends UDPMessageProcessor {
        private static final StackLogger logger = CommonLogger.getLogger(ReusedBufferUdpProcessor.class);
        private static final int MAX_EXCEPTIONS_TO_REPORT = 10;

        private final byte[] buffer;
        private int exceptionsReported;

        ReusedBufferUdpProcessor(InetAddress ipAddress, SIPTransactionStack sipStack, int port) throws IOException {
            super(ipAddress, sipStack, port);
            int maxMessageSize = sipStack.getMaxMessageSize();
            buffer = new byte
                    [maxMessageSize > 0 && maxMessageSize < SipStackImpl.MAX_DATAGRAM_SIZE
                            ? maxMessageSize
                            : SipStackImpl.MAX_DATAGRAM_SIZE];
        }

        @Override
        public void run() {
            messageChannels = new LinkedList<>();
            if (sipStack.threadPoolSize != -1) {
                String name = ((SipStackImpl) sipStack).getStackName() + "-UDPMessageChannelThread-";
                for (int i = 0; i < sipStack.threadPoolSize; i++) {
                    messageChannels.add(new UDPMessageChannel(sipStack, this, name + i));
                }
            }
            ThreadAuditor.ThreadHandle threadHandle = sipStack.getThreadAuditor() == null
                    ? null
                    : sipStack.getThreadAuditor().addCurrentThread();
            DatagramPacket received = new DatagramPacket(buffer, buffer.length);
            while (isRunning) {
                try {
                    if (threadHandle != null) {
                        threadHandle.ping();
                    }
                    received.setLength(buffer.length); // receive() shrank it to the last datagram's length
                    sock.receive(received);
                    DatagramPacket copy = new DatagramPacket(
                            Arrays.copyOf(buffer, received.getLength()),
                            received.getLength(),
                            received.getAddress(),
                            received.getPort());
                    if (sipStack.threadPoolSize != -1) {
                        messageQueue.offer(new DatagramQueuedMessageDispatch(copy, System.currentTimeMillis()));
                    } else {
                        new UDPMessageChannel(sipStack, this, copy);
                    }
                    exceptionsReported = 0;
                } catch (SocketTimeoutException e) {
                    // the thread auditor's ping interval passed
                } catch (SocketException e) {
                    if (!isRunning) {
                        return;
                    }
                    report(e);
                } catch (Exception e) {
                    report(e);
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
