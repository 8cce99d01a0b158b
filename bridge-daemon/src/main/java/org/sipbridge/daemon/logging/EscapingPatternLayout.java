package org.sipbridge.daemon.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.Converter;

/**
 * A pattern layout whose {@code %msg} (and its aliases) escapes control characters, and whose
 * exceptions ({@code %ex}, also the one logback appends to a pattern without it) have their messages
 * escaped. Done here, at the layout, rather than at each call site: it covers every logger,
 * including libraries', and a call site that forgets to escape a network-derived argument cannot
 * forge a log line.
 */
public final class EscapingPatternLayout extends PatternLayout {

    public EscapingPatternLayout() {
        for (String word : new String[] {"m", "msg", "message"}) {
            getInstanceConverterMap().put(word, EscapedMessageConverter::new);
        }
        for (String word : new String[] {"ex", "exception", "throwable", "xEx", "xException", "xThrowable"}) {
            getInstanceConverterMap().put(word, EscapedThrowableConverter::new);
        }
        // Instead of logback's EnsureExceptionHandling, which would append its own (unescaped) converter.
        setPostCompileProcessor((context, head) -> {
            Converter<ILoggingEvent> last = null;
            for (Converter<ILoggingEvent> c = head; c != null; c = c.getNext()) {
                if (c instanceof ThrowableHandlingConverter) {
                    return;
                }
                last = c;
            }
            EscapedThrowableConverter exception = new EscapedThrowableConverter();
            exception.setContext(context);
            exception.start();
            if (last != null) {
                last.setNext(exception);
            }
        });
    }
}
