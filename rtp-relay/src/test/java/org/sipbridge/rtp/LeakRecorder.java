package org.sipbridge.rtp;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects netty's "LEAK:" reports (logged by ResourceLeakDetector); wired in logback-test.xml. */
public final class LeakRecorder extends AppenderBase<ILoggingEvent> {

    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getFormattedMessage().contains("LEAK:")) {
            LEAKS.add(event.getFormattedMessage());
        }
    }

    static List<String> leaks() {
        return List.copyOf(LEAKS);
    }
}
