package org.sipbridge.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import org.junit.jupiter.api.Test;

class ParserCorrectionsTest {

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void foldedHeaderLinesBecomeOneSpaceAndTheBodyStaysAsItIs() {
        assertEquals(
                "A: b c\r\nD:  e f\r\n\r\nbody\r\n  folded-looking body",
                new String(
                        ParserCorrections.unfold(
                                ascii("A: b\r\n \t c\r\nD:  e\r\n\tf\r\n\r\nbody\r\n  folded-looking body")),
                        StandardCharsets.US_ASCII));
        assertEquals(
                "A: b c\n\n x",
                new String(ParserCorrections.unfold(ascii("A: b\n c\n\n x")), StandardCharsets.US_ASCII));
        byte[] unfolded = ascii("A: b\r\nC: d\r\n\r\n");
        assertTrue(unfolded == ParserCorrections.unfold(unfolded), "nothing to unfold: the same bytes");
    }

    @Test
    void theStackParserKeepsTheSpaceOfAFold() throws ParseException {
        // RFC 4475 §3.1.1.1 (wsinv): jain-sip alone reads "newfangled valuecontinued newfangled value".
        byte[] folded = ascii("OPTIONS sip:user@example.com SIP/2.0\r\nTo: sip:user@example.com\r\n"
                + "From: sip:caller@example.net;tag=1\r\nMax-Forwards: 7\r\nCall-ID: fold\r\nCSeq: 8 OPTIONS\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.15;branch=z9hG4bK-1\r\nNewFangledHeader:   newfangled value\r\n"
                + " continued newfangled value\r\nContent-Length: 0\r\n\r\n");
        javax.sip.message.Message parsed =
                new ParserCorrections().createMessageParser(null).parseSIPMessage(folded, true, false, null);
        assertEquals(
                "NewFangledHeader: newfangled value continued newfangled value",
                parsed.getHeader("NewFangledHeader").toString().strip());
    }

    @Test
    void parserErrorsBecomeOnePrintableLine() {
        assertEquals("ID expected", ParserCorrections.oneLine("[C@6aa89c9c\nID expected"));
        assertEquals(
                "Content-Length: -999 :For input string: \"\"",
                ParserCorrections.oneLine("Content-Length: -999\n:For input string: \"\""));
        assertEquals("unreadable message", ParserCorrections.oneLine(null));
        assertEquals("a ? b", ParserCorrections.oneLine("a \u0000? b\r\n").replace("  ", " "));
        String long100 = "x".repeat(100);
        assertEquals(
                ParserCorrections.MAX_LENGTH, ParserCorrections.oneLine(long100).length());
    }

    @Test
    void theStackParserThrowsOneLineErrors() {
        // RFC 4475 §3.1.2.1 (badinv01): jain-sip's message for this Via is "[C@…\nID expected".
        byte[] badVia = ("INVITE sip:user@example.com SIP/2.0\r\nTo: sip:j.user@example.com\r\n"
                        + "From: sip:caller@example.net;tag=1\r\nMax-Forwards: 7\r\nCall-ID: badinv01\r\nCSeq: 8 INVITE\r\n"
                        + "Via: SIP/2.0/UDP 192.0.2.15;;,;,,\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        // As jain-sip's message channels do: a broken core header fails the whole message.
        gov.nist.javax.sip.parser.ParseExceptionListener rethrow = (error, message, header, text, whole) -> {
            throw error;
        };
        ParseException e = assertThrows(
                ParseException.class,
                () -> new ParserCorrections().createMessageParser(null).parseSIPMessage(badVia, true, false, rethrow));
        assertTrue(
                e.getMessage().chars().allMatch(c -> c >= 0x20 && c < 0x7f)
                        && !e.getMessage().contains("[C@"),
                e.getMessage());
    }
}
