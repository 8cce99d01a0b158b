package org.sipbridge.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void controlCharactersBecomeVisibleEscapes() {
        assertEquals(
                "a\\x0ab\\x0dc\\x00d\\x7fe\\x85f\\u2028g\\u2029",
                LogText.escapeControls("a\nb\rc\0d\u007fe\u0085f\u2028g\u2029"));
    }

    @Test
    void plainTextAndEarlierEscapesAreLeftAlone() {
        String plain = "Answered DHCPINFORM from 00:04:f2:aa:bb:cc (Polycom-VVX450) é 日本";
        assertSame(plain, LogText.escapeControls(plain));
        assertEquals("raw \\x01\\x0a", LogText.escapeControls("raw \\x01\\x0a"), "escaping twice changes nothing");
    }
}
