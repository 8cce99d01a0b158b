package org.sipbridge.daemon.syslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SyslogParserTest {

    private static SyslogMessage parse(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return SyslogParser.parse(bytes, bytes.length);
    }

    @Test
    void rfc5424ExampleWithoutStructuredData() {
        SyslogMessage m = parse(
                "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \uFEFF'su root' failed for lonvick on /dev/pts/8");
        assertEquals(
                new SyslogMessage(
                        SyslogMessage.Format.RFC5424,
                        4,
                        2,
                        "2003-10-11T22:14:15.003Z",
                        "mymachine.example.com",
                        "su",
                        "'su root' failed for lonvick on /dev/pts/8"),
                m);
        assertEquals(
                "198.18.1.10 crit facility=4 2003-10-11T22:14:15.003Z mymachine.example.com su: 'su root' failed for "
                        + "lonvick on /dev/pts/8",
                m.line("198.18.1.10"));
    }

    @Test
    void rfc5424WithStructuredDataAndProcessId() {
        SyslogMessage m = parse("<165>1 2003-10-11T22:14:15.003Z host evntslog 1234 ID47 [exampleSDID@32473 iut=\"3\" "
                + "eventSource=\"App\\]x\"] An application event");
        assertEquals(SyslogMessage.Format.RFC5424, m.format());
        assertEquals(20, m.facility());
        assertEquals(5, m.severity());
        assertEquals("evntslog[1234]", m.app());
        assertEquals("[exampleSDID@32473 iut=\"3\" eventSource=\"App\\\\]x\"] An application event", m.text());
    }

    @Test
    void rfc3164AsPhonesSendIt() {
        SyslogMessage m = parse("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8\n");
        assertEquals(
                new SyslogMessage(
                        SyslogMessage.Format.RFC3164,
                        4,
                        2,
                        "Oct 11 22:14:15",
                        "mymachine",
                        "su",
                        "'su root' failed for lonvick on /dev/pts/8"),
                m);
        SyslogMessage padded = parse("<13>Nov  2 09:05:01 phone app[42]: hello");
        assertEquals("app[42]", padded.app());
        assertEquals("Nov  2 09:05:01", padded.timestamp());
    }

    @Test
    void aPriorityWithFreeTextKeepsTheText() {
        // Polycom UC software: PRI, then its own pipe-separated fields, no RFC 3164 header.
        SyslogMessage m = parse("<14>0004f2abcdef|1122103512|sip|2|00|Registration succeeded");
        assertEquals(SyslogMessage.Format.RFC3164, m.format());
        assertEquals(1, m.facility());
        assertEquals(6, m.severity());
        assertEquals("0004f2abcdef|1122103512|sip|2|00|Registration succeeded", m.text());
    }

    @Test
    void malformedInputIsKeptRawAndCannotForgeLines() {
        SyslogMessage m = parse("no priority\nFAKE 198.18.1.99 emerg: injected\u0007");
        assertEquals(SyslogMessage.Format.RAW, m.format());
        assertEquals("198.18.1.10 raw no priority\\x0aFAKE 198.18.1.99 emerg: injected\\x07", m.line("198.18.1.10"));
        assertEquals(SyslogMessage.Format.RAW, parse("<999>1 x").format());
        assertEquals(SyslogMessage.Format.RAW, parse("").format());
    }

    @Property(tries = 2000)
    void anyDatagramGivesOneSafeLine(@ForAll @Size(max = 600) byte[] datagram) {
        String line = SyslogParser.parse(datagram, datagram.length).line("198.18.1.10");
        assertFalse(line.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029), line);
    }

    @Property(tries = 1000)
    void anyTextAfterAValidHeaderSurvives(@ForAll @Size(max = 300) String tail) {
        String line = parse("<13>1 - - - - - - " + tail).line("x");
        assertFalse(line.chars().anyMatch(c -> c < 0x20), line);
    }
}
