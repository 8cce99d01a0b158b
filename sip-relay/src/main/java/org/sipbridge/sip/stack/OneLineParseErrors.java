package org.sipbridge.sip.stack;

import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.StringMsgParserFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.text.ParseException;

/**
 * jain-sip's own parser, with its errors made one short printable line. jain-sip answers a request
 * it cannot parse with "400 Bad Request (&lt;the parser's message&gt;)", and that message often holds a
 * line break and a char array's identity ("[C@6aa89c9c\nID expected"): the 400 then breaks its own
 * framing, the line after the break reading as a header without a colon (found with the RFC 4475
 * messages badinv01, ncl, scalar02, ltgtruri and lwsruri).
 */
public final class OneLineParseErrors implements MessageParserFactory {

    /** Longest parser message kept in a reason phrase. */
    static final int MAX_LENGTH = 80;

    private final MessageParserFactory stock = new StringMsgParserFactory();

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        MessageParser parser = stock.createMessageParser(stack);
        return (bytes, readBody, strict, listener) -> {
            try {
                return parser.parseSIPMessage(bytes, readBody, strict, listener);
            } catch (ParseException e) {
                ParseException oneLine = new ParseException(oneLine(e.getMessage()), e.getErrorOffset());
                oneLine.initCause(e);
                throw oneLine;
            }
        };
    }

    /** {@code message} without char array identities, on one line of printable ASCII, at most {@link #MAX_LENGTH} long. */
    static String oneLine(String message) {
        String text = message == null ? "" : message.replaceAll("\\[[A-Za-z]@[0-9a-f]+", " ");
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? c : ' ');
        }
        String line = out.toString().replaceAll(" {2,}", " ").strip();
        if (line.isEmpty()) {
            return "unreadable message";
        }
        return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH - 3) + "...";
    }
}
