package org.sipbridge.daemon.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.Status;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class BootstrapLoggingTest {

    @Test
    void logbackConfiguresItselfWithoutReadingAnyXml() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

        // Joran reports each file it reads ("Found resource [logback.xml] at ...") as a status.
        for (Status status : context.getStatusManager().getCopyOfStatusList()) {
            assertTrue(!status.getMessage().contains(".xml"), status.getMessage());
        }
        assertInstanceOf(
                ConsoleAppender.class,
                context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("console"));
    }

    @Test
    void logsInfoAndUpToStderrAndOnlyWarningsOfTheNoisyLibraries() {
        LoggerContext context = new LoggerContext();

        Configurator.ExecutionStatus next = new BootstrapLogging().configure(context);

        assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, next);
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.INFO, root.getLevel());
        ConsoleAppender<?> console = (ConsoleAppender<?>) root.getAppender("console");
        assertTrue(console.isStarted());
        assertEquals("System.err", console.getTarget());
        assertEquals(BootstrapLogging.PATTERN, ((PatternLayoutEncoder) console.getEncoder()).getPattern());
        for (String library : new String[] {"org.xnio", "io.undertow", "org.jboss"}) {
            assertEquals(Level.WARN, context.getLogger(library).getLevel(), library);
        }
    }
}
