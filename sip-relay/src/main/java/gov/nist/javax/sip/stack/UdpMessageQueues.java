package gov.nist.javax.sip.stack;

import java.util.Queue;

/**
 * The queue of datagrams a UDP listening point has received and its message thread has not yet
 * parsed. jain-sip keeps it in a protected field and offers no getter; this class lives in jain-sip's
 * package (the bridge runs on the class path, where a package may span jars) only to read it, so
 * the bridge can audit every listening point's queue from one timer thread instead of jain-sip's
 * one {@code Timer} thread per listening point (org.sipbridge.sip.stack.StaleDatagrams, #19).
 */
public final class UdpMessageQueues {

    private UdpMessageQueues() {}

    /** The live queue of {@code processor} (jain-sip's message thread takes from its head). */
    public static Queue<? extends QueuedMessageDispatchBase> of(UDPMessageProcessor processor) {
        return processor.messageQueue;
    }
}
