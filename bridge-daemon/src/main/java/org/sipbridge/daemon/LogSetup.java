package org.sipbridge.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.TimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.sipbridge.config.DiagnosticsSettings;
import org.sipbridge.config.TraceTopic;
import org.sipbridge.contract.files.OwnerOnly;
import org.sipbridge.daemon.logging.DailyCapEncoder;
import org.sipbridge.daemon.logging.EscapingPatternLayout;
import org.sipbridge.daemon.logging.OwnerOnlyRollingFileAppender;
import org.sipbridge.daemon.logging.RepeatLimitFilter;
import org.slf4j.LoggerFactory;

/**
 * Logging to the console and to {@code <data>/logs/sipbridge.log}, rolled daily, gzipped when
 * {@code diagnostics.compression} is on and deleted after {@code diagnostics.retentionDays}. Each
 * tracing topic is one module's logger; its level follows {@code diagnostics.traceLevels}.
 *
 * <p>Bounded against floods (issue #14): a message repeated more than {@value #REPEATS_ALLOWED} times a
 * minute is summarised ({@link RepeatLimitFilter}), each file takes at most a daily byte cap
 * ({@link DailyCapEncoder}) and the archives a total cap, so the folder stays below about
 * {@code (retentionDays + 1) x} the daily cap. Every message has its control characters escaped
 * ({@link EscapingPatternLayout}); files are 0600 in a 0700 folder whatever the umask.
 */
final class LogSetup {

    static final String FILE_NAME = "sipbridge.log";
    /** The phones' syslog lines (see SyslogReceiver), in their own file beside sipbridge.log. */
    static final String SYSLOG_FILE_NAME = "syslog.log";

    static final String SYSLOG_LOGGER = "org.sipbridge.syslog.received";
    private static final String SYSLOG_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %msg%n";
    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";
    /** Lines of one message (logger + format) per window before the rest are summarised. */
    static final int REPEATS_ALLOWED = 5;

    static final long REPEAT_WINDOW_MS = 60_000;
    /** How long the summaries' thread waits for more work before it ends. */
    static final long SUMMARY_THREAD_KEEP_ALIVE_MS = 5_000;
    /** Bytes written to sipbridge.log per day at most; a busy day of INFO and DEBUG lines is a few MiB. */
    static final long MAIN_DAILY_CAP = 32L * 1024 * 1024;
    /** Bytes written to syslog.log per day at most; the receiver limits each phone's rate besides. */
    static final long SYSLOG_DAILY_CAP = 8L * 1024 * 1024;

    private static final String[] NOISY_LIBRARIES = {"org.xnio", "io.undertow", "org.jboss", "io.netty", "gov.nist"};

    private final LoggerContext context;
    private final Path logDir;
    private final ScheduledThreadPoolExecutor summaries;
    private RollingFileAppender<ILoggingEvent> file;
    private RollingFileAppender<ILoggingEvent> syslogFile;
    private DiagnosticsSettings applied;

    private LogSetup(Path logDir) {
        this.context = (LoggerContext) LoggerFactory.getILoggerFactory();
        this.logDir = logDir;
        // One daemon thread, only while a message is being suppressed: it starts with the first summary
        // scheduled and ends SUMMARY_THREAD_KEEP_ALIVE_MS after the last one ran. A pending summary keeps it
        // (the executor never drops its last thread while a task waits), at the price of a wake-up every
        // keep-alive until the summary is due: 12 in a window, instead of an idle thread for good.
        this.summaries = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "log-summaries");
            thread.setDaemon(true);
            return thread;
        });
        summaries.setRemoveOnCancelPolicy(true);
        summaries.setKeepAliveTime(SUMMARY_THREAD_KEEP_ALIVE_MS, TimeUnit.MILLISECONDS);
        summaries.allowCoreThreadTimeOut(true);
    }

    /** Replaces the bootstrap logback.xml setup with the configured one. */
    static LogSetup start(Path logDir, DiagnosticsSettings settings, boolean console) {
        try {
            OwnerOnly.directory(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the log folder " + logDir + ": " + e.getMessage(), e);
        }
        LogSetup setup = new LogSetup(logDir);
        setup.context.reset();
        setup.context.addTurboFilter(new RepeatLimitFilter(
                REPEATS_ALLOWED,
                REPEAT_WINDOW_MS,
                System::currentTimeMillis,
                (task, delayMillis) -> setup.summaries.schedule(task, delayMillis, TimeUnit.MILLISECONDS)));
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
            TraceTopic.fromKey(entry.getKey())
                    .ifPresent(topic -> context.getLogger(topic.loggerName())
                            .setLevel(Level.toLevel(entry.getValue(), Level.INFO)));
        }
        boolean rollingChanged = applied == null
                || applied.retentionDays() != settings.retentionDays()
                || applied.compression() != settings.compression();
        if (rollingChanged) {
            file = replaceAppender(
                    context.getLogger(Logger.ROOT_LOGGER_NAME),
                    file,
                    fileAppender(settings, "file", FILE_NAME, PATTERN, MAIN_DAILY_CAP));
            Logger syslog = context.getLogger(SYSLOG_LOGGER);
            syslog.setAdditive(false);
            syslog.setLevel(Level.INFO);
            syslogFile = replaceAppender(
                    syslog,
                    syslogFile,
                    fileAppender(settings, "syslog", SYSLOG_FILE_NAME, SYSLOG_PATTERN, SYSLOG_DAILY_CAP));
        }
        applied = settings;
    }

    /** The file appender, for tests and the diagnostics page. */
    RollingFileAppender<ILoggingEvent> fileAppender() {
        return file;
    }

    void stop() {
        summaries.shutdownNow();
        context.stop();
    }

    private ConsoleAppender<ILoggingEvent> consoleAppender() {
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("console");
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout(PATTERN));
        encoder.start();
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }

    private static RollingFileAppender<ILoggingEvent> replaceAppender(
            Logger logger, RollingFileAppender<ILoggingEvent> old, RollingFileAppender<ILoggingEvent> replacement) {
        logger.addAppender(replacement);
        if (old != null) {
            logger.detachAppender(old);
            old.stop();
        }
        return replacement;
    }

    /**
     * A daily-rolled file {@code fileName} in the log folder, gzipped and expired as configured, taking
     * at most {@code dailyCap} bytes a day.
     */
    private RollingFileAppender<ILoggingEvent> fileAppender(
            DiagnosticsSettings settings, String name, String fileName, String pattern, long dailyCap) {
        RollingFileAppender<ILoggingEvent> appender = new OwnerOnlyRollingFileAppender();
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
        policy.setTotalSizeCap(new FileSize((settings.retentionDays() + 1L) * dailyCap));
        policy.setCleanHistoryOnStart(true);
        policy.start();
        appender.setRollingPolicy(policy);
        DailyCapEncoder encoder = new DailyCapEncoder(dailyCap, ZoneId.systemDefault());
        encoder.setContext(context);
        encoder.setLayout(layout(pattern));
        encoder.start();
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }

    private EscapingPatternLayout layout(String pattern) {
        EscapingPatternLayout layout = new EscapingPatternLayout();
        layout.setContext(context);
        layout.setPattern(pattern);
        layout.start();
        return layout;
    }
}
