package org.sipbridge.sip.stack;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message trace: every SIP message sent or received, at TRACE level of the sip topic (off by
 * default, since messages carry user names and digest responses).
 */
public final class Slf4jServerLogger implements ServerLogger {

    private static final Logger log = LoggerFactory.getLogger("org.sipbridge.sip.stack.messages");

    @Override
    public void closeLogFile() {
        // SLF4J owns the log files.
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        trace(message, from, to, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
        trace(message, from, to, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
        trace(message, from, to, sender);
    }

    private static void trace(SIPMessage message, String from, String to, boolean sender) {
        if (log.isTraceEnabled()) {
            log.trace("{} {} -> {}\n{}", sender ? "sent" : "received", from, to, message.encode());
        }
    }

    @Override
    public void logException(Exception ex) {
        log.warn("jain-sip exception", ex);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // Nothing to configure.
    }

    @Override
    public void setSipStack(SipStack sipStack) {
        // Not needed.
    }
}
