package org.sipbridge.daemon.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.sipbridge.contract.LogText;

/** {@code %msg} with control characters escaped: every message is one line, whatever its arguments carried. */
public final class EscapedMessageConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return LogText.escapeControls(event.getFormattedMessage());
    }
}
