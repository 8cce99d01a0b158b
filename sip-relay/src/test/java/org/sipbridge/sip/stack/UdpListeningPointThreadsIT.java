package org.sipbridge.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.sip.ListeningPoint;
import javax.sip.SipStack;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.sip.Loopback;

/**
 * A UDP listening point of the relay's stack is one thread (#19): its receive thread parses and matches
 * each datagram itself, so neither jain-sip's UDP message threads nor its congestion auditor (a Timer
 * thread per UDP listening point) start, and stopping the stack ends it.
 */
class UdpListeningPointThreadsIT {

    private static final String HOST = "127.0.0.1";

    @Test
    void eachUdpListeningPointIsOneThreadThatEndsWithTheStack() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        String name = "udpthreads-" + ProcessHandle.current().pid();
        SipStack stack = SipStackFactory.create(name, BridgeConfig.defaults().protocols(), timer);
        int first = Loopback.freePort(HOST);
        int second = Loopback.freePort(HOST);
        try {
            stack.createListeningPoint(HOST, first, ListeningPoint.UDP);
            stack.createListeningPoint(HOST, second, ListeningPoint.UDP);
            stack.createListeningPoint(HOST, Loopback.freePort(HOST), ListeningPoint.TCP);
            stack.start();

            assertEquals(List.of(), threadsNamed(name + "-UDPMessageChannelThread"), "no UDP message threads");
            assertEquals(List.of(), threadsNamed("BlockingQueueDispatchAuditor"), "no congestion auditor threads");
            List<String> receivers = List.of(receiver(first), receiver(second));
            assertEquals(
                    receivers,
                    receivers.stream().flatMap(n -> threadsCalled(n).stream()).toList());
        } finally {
            stack.stop();
            timer.shutdownNow();
        }
        // stop() closes the sockets; each receiver then ends on its own.
        for (int i = 0; i < 100 && !threadsCalled(receiver(first)).isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertEquals(List.of(), threadsCalled(receiver(first)), "ended with the stack");
    }

    private static String receiver(int port) {
        return "MessageProcessorThread-UDP-" + HOST + "/" + port;
    }

    private static List<String> threadsCalled(String name) {
        return threadsNamed(name).stream().filter(name::equals).toList();
    }

    private static List<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(thread -> thread.startsWith(prefix))
                .toList();
    }
}
