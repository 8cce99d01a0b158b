package org.sipbridge.sip.stack;

import gov.nist.core.StackLogger;
import java.util.Properties;
import java.util.concurrent.atomic.LongAdder;
import org.sipbridge.contract.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends jain-sip's own log to SLF4J under the sip topic, so that the stack never loads log4j (which
 * it declares "provided") and its verbosity follows {@code diagnostics.traceLevels.sip}.
 * <p>
 * jain-sip reports what peers send it (malformed packets, bad headers, failed TLS handshakes,
 * broken connections) as errors, with stack traces and the raw packet in the message. Anyone on
 * the network can trigger those, so every error it reports is counted and logged as one escaped,
 * bounded DEBUG line; the stack trace goes to TRACE.
 */
public final class Slf4jStackLogger implements StackLogger {

    private static final Logger log = LoggerFactory.getLogger("org.sipbridge.sip.stack.jainsip");

    private static final LongAdder PROBLEMS = new LongAdder();

    /**
     * jain-sip puts whole packets (as text or byte lists) in some messages: a flood of garbage must
     * not fill the disk, and a CR or LF in a packet must not forge a log line.
     */
    static String bounded(String message) {
        if (message == null) {
            return null;
        }
        String cut = message.length() <= MAX_MESSAGE
                ? message
                : message.substring(0, MAX_MESSAGE) + "… (" + message.length() + " characters)";
        return LogText.escapeControls(cut);
    }

    private static final int MAX_MESSAGE = 600;

    /** Errors jain-sip has reported since the JVM started (all stacks): mostly malformed input from peers. */
    public static long problemsReported() {
        return PROBLEMS.sum();
    }

    /**
     * One DEBUG line for a problem jain-sip reports (the message and the cause each bounded and
     * escaped); the stack trace only at TRACE. Not INFO: a flood of garbage would otherwise write a
     * line per packet; the count ({@link #problemsReported()}) shows that it happens.
     */
    static void problem(String message, Throwable cause) {
        PROBLEMS.increment();
        if (log.isDebugEnabled()) {
            log.debug("jain-sip: {}{}", bounded(message), cause == null ? "" : ": " + bounded(String.valueOf(cause)));
        }
        if (cause != null && log.isTraceEnabled()) {
            log.trace("jain-sip problem details", cause);
        }
    }

    @Override
    public void logStackTrace() {
        if (log.isTraceEnabled()) {
            log.trace("stack trace", new Throwable());
        }
    }

    @Override
    public void logStackTrace(int traceLevel) {
        logStackTrace();
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void logException(Throwable ex) {
        problem("exception", ex);
    }

    @Override
    public void logDebug(String message) {
        log.debug(bounded(message));
    }

    @Override
    public void logDebug(String message, Exception ex) {
        log.debug(bounded(message), ex);
    }

    @Override
    public void logTrace(String message) {
        log.trace(bounded(message));
    }

    @Override
    public void logFatalError(String message) {
        problem(message, null);
    }

    @Override
    public void logError(String message) {
        problem(message, null);
    }

    @Override
    public boolean isLoggingEnabled() {
        return log.isInfoEnabled();
    }

    @Override
    public boolean isLoggingEnabled(int logLevel) {
        return switch (logLevel) {
            case TRACE_NONE -> false;
            case TRACE_FATAL, TRACE_ERROR -> log.isErrorEnabled();
            case TRACE_WARN -> log.isWarnEnabled();
            case TRACE_INFO -> log.isInfoEnabled();
            case TRACE_DEBUG -> log.isDebugEnabled();
            default -> log.isTraceEnabled();
        };
    }

    @Override
    public void logError(String message, Exception ex) {
        problem(message, ex);
    }

    @Override
    public void logWarning(String message) {
        log.warn(bounded(message));
    }

    @Override
    public void logInfo(String message) {
        log.info(bounded(message));
    }

    @Override
    public void disableLogging() {
        // Levels are set through logback (diagnostics.traceLevels), not by the stack.
    }

    @Override
    public void enableLogging() {
        // Levels are set through logback (diagnostics.traceLevels), not by the stack.
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
        log.debug("jain-sip build {}", buildTimeStamp);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // Nothing to configure: SLF4J is set up by the daemon.
    }

    @Override
    public String getLoggerName() {
        return log.getName();
    }
}
