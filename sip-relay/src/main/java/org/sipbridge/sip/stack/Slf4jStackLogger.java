package org.sipbridge.sip.stack;

import gov.nist.core.StackLogger;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends jain-sip's own log to SLF4J under the sip topic, so that the stack never loads log4j (which
 * it declares "provided") and its verbosity follows {@code diagnostics.traceLevels.sip}.
 */
public final class Slf4jStackLogger implements StackLogger {

    private static final Logger log = LoggerFactory.getLogger("org.sipbridge.sip.stack.jainsip");

    /** jain-sip puts whole packets (as byte lists) in some messages; a flood of garbage must not fill the disk. */
    static String bounded(String message) {
        return message == null || message.length() <= MAX_MESSAGE ? message
                : message.substring(0, MAX_MESSAGE) + "… (" + message.length() + " characters)";
    }

    private static final int MAX_MESSAGE = 600;

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
        log.warn("jain-sip exception", ex);
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
        log.error(bounded(message));
    }

    @Override
    public void logError(String message) {
        log.error(bounded(message));
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
        log.error(bounded(message), ex);
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
