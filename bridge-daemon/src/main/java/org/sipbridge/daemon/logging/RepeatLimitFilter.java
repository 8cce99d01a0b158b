package org.sipbridge.daemon.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Marker;

/**
 * Lets the first {@code allowed} events of one message (same logger, same format string) through in
 * each window of {@code windowMillis}, drops the rest, and then logs one summary, "N more like this
 * suppressed", on the same logger and level. A flood of bad packets that each log a line therefore
 * costs a few lines a minute, not one per packet, and the log still says it happened.
 *
 * <p>Keyed by the format string, not the formatted text, so that varying arguments (addresses, MACs)
 * cannot dodge the limit. Disabled levels are not counted. The summary is logged when the next event
 * of that message arrives after the window, or by {@code scheduler} at the window's end, whichever
 * comes first; nothing is scheduled while nothing is suppressed.
 */
public final class RepeatLimitFilter extends TurboFilter {

    /** Runs a task once after a delay (a daemon thread in production, by hand in tests). */
    @FunctionalInterface
    public interface Scheduler {
        void runLater(Runnable task, long delayMillis);
    }

    /** Messages tracked at once; past this, windows are forgotten (a fresh allowance), never memory. */
    static final int MAX_TRACKED = 2048;

    static final String SUMMARY_FORMAT = "{} more like this suppressed in the last {} s: {}";

    private final int allowed;
    private final long windowMillis;
    private final LongSupplier clockMillis;
    private final Scheduler scheduler;
    private final Map<String, Window> windows = new HashMap<>();

    public RepeatLimitFilter(int allowed, long windowMillis, LongSupplier clockMillis, Scheduler scheduler) {
        if (allowed < 1 || windowMillis < 1) {
            throw new IllegalArgumentException(
                    "allowed and windowMillis must be positive: " + allowed + ", " + windowMillis);
        }
        this.allowed = allowed;
        this.windowMillis = windowMillis;
        this.clockMillis = clockMillis;
        this.scheduler = scheduler;
        setName("repeat-limit");
    }

    private static final class Window {
        final Logger logger;
        final Level level;
        final String format;
        long start;
        int passed;
        long suppressed;

        Window(Logger logger, Level level, String format, long start) {
            this.logger = logger;
            this.level = level;
            this.format = format;
            this.start = start;
        }
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format == null || !level.isGreaterOrEqual(logger.getEffectiveLevel()) || SUMMARY_FORMAT.equals(format)) {
            return FilterReply.NEUTRAL;
        }
        long now = clockMillis.getAsLong();
        String key = logger.getName() + '\0' + level + '\0' + format;
        long expiredSuppressed = 0;
        boolean pass;
        boolean firstSuppressed = false;
        Window window;
        synchronized (windows) {
            window = windows.get(key);
            if (window == null) {
                if (windows.size() >= MAX_TRACKED) {
                    windows.clear();
                }
                window = new Window(logger, level, format, now);
                windows.put(key, window);
            } else if (now - window.start >= windowMillis) {
                expiredSuppressed = window.suppressed;
                window.start = now;
                window.passed = 0;
                window.suppressed = 0;
            }
            pass = window.passed < allowed;
            if (pass) {
                window.passed++;
            } else {
                window.suppressed++;
                firstSuppressed = window.suppressed == 1;
            }
        }
        // Logged outside the lock: the summary passes through this filter again (as NEUTRAL).
        if (expiredSuppressed > 0) {
            summarise(window, expiredSuppressed);
        }
        if (firstSuppressed) {
            Window suppressedIn = window;
            long started = window.start;
            scheduler.runLater(() -> flush(suppressedIn, started), windowMillis);
        }
        return pass ? FilterReply.NEUTRAL : FilterReply.DENY;
    }

    /** At the end of a window: reports what it suppressed, unless a later event already did. */
    private void flush(Window window, long windowStart) {
        long suppressed;
        synchronized (windows) {
            if (window.start != windowStart || window.suppressed == 0) {
                return;
            }
            suppressed = window.suppressed;
            window.suppressed = 0;
        }
        summarise(window, suppressed);
    }

    private void summarise(Window window, long suppressed) {
        Object[] args = {suppressed, windowMillis / 1000, window.format};
        switch (window.level.toInt()) {
            case Level.ERROR_INT -> window.logger.error(SUMMARY_FORMAT, args);
            case Level.WARN_INT -> window.logger.warn(SUMMARY_FORMAT, args);
            case Level.INFO_INT -> window.logger.info(SUMMARY_FORMAT, args);
            case Level.DEBUG_INT -> window.logger.debug(SUMMARY_FORMAT, args);
            default -> window.logger.trace(SUMMARY_FORMAT, args);
        }
    }
}
