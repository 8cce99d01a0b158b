package org.sipbridge.sip.stack;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What a peer sends cannot break or forge a log line, nor make one huge. */
class Slf4jStackLoggerTest {

    @Test
    void jainSipMessagesAreBoundedAndEscaped() {
        String packet = "REGISTER sip:x SIP/2.0\r\n" + "X".repeat(5000);
        String line = Slf4jStackLogger.bounded(packet);
        assertFalse(line.contains("\n") || line.contains("\r"));
        assertTrue(line.length() < 700, line.length() + " characters");
        assertTrue(line.endsWith("(5024 characters)"), line);
    }
}
