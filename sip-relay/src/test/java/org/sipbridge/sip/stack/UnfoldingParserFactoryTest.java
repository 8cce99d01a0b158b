package org.sipbridge.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import gov.nist.javax.sip.message.SIPMessage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UnfoldingParserFactoryTest {

    private static final String HEAD = "OPTIONS sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"
            + "From: <sip:b@example.com>;tag=1\r\nTo: <sip:a@example.com>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n";

    private static String unfold(String text) {
        return new String(UnfoldingParserFactory.unfold(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void aMessageWithoutFoldingIsParsedAsItCame() {
        byte[] plain = (HEAD + "User-Agent: test phone/1.0\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        assertSame(plain, UnfoldingParserFactory.unfold(plain));
    }

    @Test
    void aFoldedLineIsJoinedWithOneSpace() {
        assertEquals(HEAD + "User-Agent: test phone/1.0\r\nSubject: a b\r\nContent-Length: 0\r\n\r\n",
                unfold(HEAD + "User-Agent: test\r\n\tphone/1.0\r\nSubject: a\r\n   b\r\nContent-Length: 0\r\n\r\n"));
        assertEquals(HEAD + "User-Agent: test phone/1.0\n\n", unfold(HEAD + "User-Agent: test\n phone/1.0\n\n"));
    }

    @Test
    void keepaliveLineBreaksAndTheBodyAreLeftAlone() {
        String body = "v=0\r\n s=indented\r\n";
        assertEquals("\r\n\r\n" + HEAD + "X-A: 1 2\r\nContent-Length: 20\r\n\r\n" + body,
                unfold("\r\n\r\n" + HEAD + "X-A: 1\r\n 2\r\nContent-Length: 20\r\n\r\n" + body));
    }

    @Test
    void jainSipParsesTheUnfoldedUserAgent() throws Exception {
        SIPMessage message = new UnfoldingParserFactory().createMessageParser(null).parseSIPMessage(
                (HEAD + "User-Agent: test\r\n\tphone/1.0\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8),
                true, false, null);
        assertEquals("User-Agent: test phone/1.0\r\n", message.getHeader("User-Agent").toString());
    }
}
