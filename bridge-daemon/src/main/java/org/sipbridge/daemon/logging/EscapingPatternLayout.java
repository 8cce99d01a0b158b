package org.sipbridge.daemon.logging;

import ch.qos.logback.classic.PatternLayout;

/**
 * A pattern layout whose {@code %msg} (and its aliases) escapes control characters. Done here, at the
 * layout, rather than at each call site: it covers every logger, including libraries', and a call
 * site that forgets to escape a network-derived argument cannot forge a log line.
 */
public final class EscapingPatternLayout extends PatternLayout {

    public EscapingPatternLayout() {
        for (String word : new String[] {"m", "msg", "message"}) {
            getInstanceConverterMap().put(word, EscapedMessageConverter::new);
        }
    }
}
