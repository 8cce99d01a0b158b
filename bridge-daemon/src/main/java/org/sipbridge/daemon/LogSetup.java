package org.sipbridge.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.TimeBasedRollingPolicy;
import java.nio.file.Path;
import java.util.Map;
import org.sipbridge.config.DiagnosticsSettings;
import org.sipbridge.config.TraceTopic;
import org.slf4j.LoggerFactory;

/**
 * Logging to the console and to {@code <data>/logs/sipbridge.log}, rolled daily, gzipped when
 * {@code diagnostics.compression} is on and deleted after {@code diagnostics.retentionDays}. Each
 * tracing topic is one module's logger; its level follows {@code diagnostics.traceLevels}.
 */
final class LogSetup {

    static final String FILE_NAME = "sipbridge.log";
    /** The phones' syslog lines (see SyslogReceiver), in their own file beside sipbridge.log. */
    static final String SYSLOG_FILE_NAME = "syslog.log";
    static final String SYSLOG_LOGGER = "org.sipbridge.syslog.received";
    private static final String SYSLOG_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %msg%n";
    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";
    private static final String[] NOISY_LIBRARIES = {"org.xnio", "io.undertow", "org.jboss", "io.netty", "gov.nist"};

    private final LoggerContext context;
    private final Path logDir;
    private final boolean console;
    private RollingFileAppender<ILoggingEvent> file;
    private RollingFileAppender<ILoggingEvent> syslogFile;
    private DiagnosticsSettings applied;

    private LogSetup(Path logDir, boolean console) {
        this.context = (LoggerContext) LoggerFactory.getILoggerFactory();
        this.logDir = logDir;
        this.console = console;
    }

    /** Replaces the bootstrap logback.xml setup with the configured one. */
    static LogSetup start(Path logDir, DiagnosticsSettings settings, boolean console) {
        LogSetup setup = new LogSetup(logDir, console);
        setup.context.reset();
        Logger root = setup.context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        if (console) {
            root.addAppender(setup.consoleAppender());
        }
        for (String library : NOISY_LIBRARIES) {
            setup.context.getLogger(library).setLevel(Level.WARN);
        }
        // Logs a stack trace per failed relay; the provisioning proxy reports each in one line itself.
        setup.context.getLogger("io.undertow.proxy").setLevel(Level.OFF);
        // jain-sip warns at every start about TLS defaults the bridge does not use; its errors still show.
        setup.context.getLogger("org.sipbridge.sip.stack.jainsip").setLevel(Level.ERROR);
        setup.apply(settings);
        return setup;
    }

    Path logDir() {
        return logDir;
    }

    Path currentFile() {
        return logDir.resolve(FILE_NAME);
    }

    /** Applies changed diagnostics settings at once: levels, retention and compression. */
    synchronized void apply(DiagnosticsSettings settings) {
        for (Map.Entry<String, String> entry : settings.traceLevels().entrySet()) {
            TraceTopic.fromKey(entry.getKey()).ifPresent(topic ->
                    context.getLogger(topic.loggerName()).setLevel(Level.toLevel(entry.getValue(), Level.INFO)));
        }
        boolean rollingChanged = applied == null || applied.retentionDays() != settings.retentionDays()
                || applied.compression() != settings.compression();
        if (rollingChanged) {
            file = replaceAppender(context.getLogger(Logger.ROOT_LOGGER_NAME), file,
                    fileAppender(settings, "file", FILE_NAME, PATTERN));
            Logger syslog = context.getLogger(SYSLOG_LOGGER);
            syslog.setAdditive(false);
            syslog.setLevel(Level.INFO);
            syslogFile = replaceAppender(syslog, syslogFile, fileAppender(settings, "syslog", SYSLOG_FILE_NAME, SYSLOG_PATTERN));
        }
        applied = settings;
    }

    /** The file appender, for tests and the diagnostics page. */
    RollingFileAppender<ILoggingEvent> fileAppender() {
        return file;
    }

    void stop() {
        context.stop();
    }

    private ConsoleAppender<ILoggingEvent> consoleAppender() {
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("console");
        appender.setEncoder(encoder(PATTERN));
        appender.start();
        return appender;
    }

    private static RollingFileAppender<ILoggingEvent> replaceAppender(Logger logger, RollingFileAppender<ILoggingEvent> old,
                                                                      RollingFileAppender<ILoggingEvent> replacement) {
        logger.addAppender(replacement);
        if (old != null) {
            logger.detachAppender(old);
            old.stop();
        }
        return replacement;
    }

    /** A daily-rolled file {@code fileName} in the log folder, gzipped and expired as configured. */
    private RollingFileAppender<ILoggingEvent> fileAppender(DiagnosticsSettings settings, String name, String fileName,
                                                            String pattern) {
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName(name);
        appender.setFile(logDir.resolve(fileName).toString());
        TimeBasedRollingPolicy<ILoggingEvent> policy = new TimeBasedRollingPolicy<>();
        policy.setContext(context);
        policy.setParent(appender);
        String stem = fileName.substring(0, fileName.lastIndexOf('.'));
        policy.setFileNamePattern(logDir.resolve(stem + ".%d{yyyy-MM-dd}.log" + (settings.compression() ? ".gz" : ""))
                .toString());
        policy.setMaxHistory(settings.retentionDays());
        policy.setCleanHistoryOnStart(true);
        policy.start();
        appender.setRollingPolicy(policy);
        appender.setEncoder(encoder(pattern));
        appender.start();
        return appender;
    }

    private PatternLayoutEncoder encoder(String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        return encoder;
    }
}
