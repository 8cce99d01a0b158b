package org.sipbridge.sip;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Everything the relay and jain-sip log (jain-sip's topic at INFO, as in production) and what
 * reaches stderr (uncaught exceptions in jain-sip's threads), while a test attacks the relay.
 */
final class LogCapture implements AutoCloseable {

    private static final String JAIN_SIP = "org.sipbridge.sip.stack.jainsip";

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final Logger jainSip = (Logger) LoggerFactory.getLogger(JAIN_SIP);
    private final Level jainSipLevel = jainSip.getLevel();
    private final PrintStream stderr = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    LogCapture() {
        appender.start();
        root.addAppender(appender);
        jainSip.setLevel(Level.INFO);
        System.setErr(new PrintStream(new Tee(stderr, captured), true, StandardCharsets.UTF_8));
    }

    List<ILoggingEvent> events() {
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    String stderr() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        System.setErr(stderr);
        jainSip.setLevel(jainSipLevel);
        root.detachAppender(appender);
    }

    /** Writes to the real stderr and keeps a copy. */
    private static final class Tee extends OutputStream {
        private final OutputStream out;
        private final ByteArrayOutputStream copy;

        Tee(OutputStream out, ByteArrayOutputStream copy) {
            this.out = out;
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            synchronized (copy) {
                copy.write(b);
            }
            try {
                out.write(b);
            } catch (java.io.IOException e) {
                // the copy is what the test reads
            }
        }
    }
}
