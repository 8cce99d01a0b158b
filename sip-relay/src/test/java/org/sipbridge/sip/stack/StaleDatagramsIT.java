package org.sipbridge.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.sip.ListeningPoint;
import javax.sip.SipStack;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.sip.Loopback;

/**
 * The relay's stack audits its UDP queues from the relay's timer (StaleDatagrams), so jain-sip's
 * congestion auditor, a Timer thread per UDP listening point, never starts (#19).
 */
class StaleDatagramsIT {

    private static final String HOST = "127.0.0.1";

    @Test
    void udpListeningPointsStartNoAuditorThreadAndTheirQueuesAreAudited() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        SipStack stack = SipStackFactory.create(
                "stale-" + ProcessHandle.current().pid(),
                BridgeConfig.defaults().protocols(),
                timer);
        try {
            long auditorsBefore = auditorThreads();
            stack.createListeningPoint(HOST, Loopback.freePort(HOST), ListeningPoint.UDP);
            stack.createListeningPoint(HOST, Loopback.freePort(HOST), ListeningPoint.UDP);
            stack.createListeningPoint(HOST, Loopback.freePort(HOST), ListeningPoint.TCP);
            stack.start();

            assertEquals(auditorsBefore, auditorThreads(), "no jain-sip congestion auditor thread started");
            assertEquals(2, StaleDatagrams.udpQueues(stack).size(), "one queue per UDP listening point");
        } finally {
            stack.stop();
            timer.shutdownNow();
        }
    }

    private static long auditorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("BlockingQueueDispatchAuditor"))
                .count();
    }
}
