package org.sipbridge.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import org.junit.jupiter.api.Test;

class OneLineParseErrorsTest {

    @Test
    void parserMessagesBecomeOnePrintableLine() {
        assertEquals("ID expected", OneLineParseErrors.oneLine("[C@6aa89c9c\nID expected"));
        assertEquals("Content-Length: -999 :For input string: \"\"",
                OneLineParseErrors.oneLine("Content-Length: -999\n:For input string: \"\""));
        assertEquals("unreadable message", OneLineParseErrors.oneLine(null));
        assertEquals("a ? b", OneLineParseErrors.oneLine("a \u0000? b\r\n").replace("  ", " "));
        String long100 = "x".repeat(100);
        assertEquals(OneLineParseErrors.MAX_LENGTH, OneLineParseErrors.oneLine(long100).length());
    }

    @Test
    void theStackParserThrowsOneLineErrors() {
        // RFC 4475 §3.1.2.1 (badinv01): jain-sip's message for this Via is "[C@…\nID expected".
        byte[] badVia = ("INVITE sip:user@example.com SIP/2.0\r\nTo: sip:j.user@example.com\r\n"
                + "From: sip:caller@example.net;tag=1\r\nMax-Forwards: 7\r\nCall-ID: badinv01\r\nCSeq: 8 INVITE\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.15;;,;,,\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        // As jain-sip's message channels do: a broken core header fails the whole message.
        gov.nist.javax.sip.parser.ParseExceptionListener rethrow = (error, message, header, text, whole) -> {
            throw error;
        };
        ParseException e = assertThrows(ParseException.class,
                () -> new OneLineParseErrors().createMessageParser(null).parseSIPMessage(badVia, true, false, rethrow));
        assertTrue(e.getMessage().chars().allMatch(c -> c >= 0x20 && c < 0x7f) && !e.getMessage().contains("[C@"),
                e.getMessage());
    }
}
