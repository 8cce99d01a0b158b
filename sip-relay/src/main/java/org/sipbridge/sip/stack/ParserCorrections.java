package org.sipbridge.sip.stack;

import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.StringMsgParserFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.ByteArrayOutputStream;
import java.text.ParseException;

/**
 * jain-sip's own parser (the stack's {@code MESSAGE_PARSER_FACTORY}) with two corrections, both
 * found with the RFC 4475 torture messages:
 * <ul>
 * <li>Folded header lines are unfolded as RFC 3261 §7.3.1 says, the line break and the white space
 *     after it becoming one space. jain-sip drops them altogether, gluing the words on either side
 *     ("newfangled value" CRLF SP "continued" became "newfangled valuecontinued"), and the bridge
 *     then relayed the changed value.</li>
 * <li>A parse error's message, which jain-sip puts into the reason phrase of the 400 it answers,
 *     becomes one short printable line: it often held a line break and a char array's identity
 *     ("[C@6aa89c9c\nID expected"), and the 400 then broke its own framing.</li>
 * </ul>
 */
public final class ParserCorrections implements MessageParserFactory {

    /** Longest parser message kept in a reason phrase. */
    static final int MAX_LENGTH = 80;

    private final MessageParserFactory stock = new StringMsgParserFactory();

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        MessageParser parser = stock.createMessageParser(stack);
        return (bytes, readBody, strict, listener) -> {
            try {
                return parser.parseSIPMessage(unfold(bytes), readBody, strict, listener);
            } catch (ParseException e) {
                ParseException oneLine = new ParseException(oneLine(e.getMessage()), e.getErrorOffset());
                oneLine.initCause(e);
                throw oneLine;
            }
        };
    }

    /**
     * {@code message} with every line break inside its header section that is followed by white
     * space, and that white space, replaced by one space; the body is left as it is.
     */
    static byte[] unfold(byte[] message) {
        if (message == null) {
            return null;
        }
        int end = headerSectionEnd(message);
        ByteArrayOutputStream out = null;
        int copied = 0;
        for (int i = 0; i < end; i++) {
            int breakLength = message[i] == '\r' && i + 1 < message.length && message[i + 1] == '\n'
                    ? 2
                    : message[i] == '\n' ? 1 : 0;
            if (breakLength == 0 || i + breakLength >= message.length || !isWhiteSpace(message[i + breakLength])) {
                continue;
            }
            if (out == null) {
                out = new ByteArrayOutputStream(message.length);
            }
            out.write(message, copied, i - copied);
            out.write(' ');
            int next = i + breakLength;
            while (next < end && isWhiteSpace(message[next])) {
                next++;
            }
            copied = next;
            i = next - 1;
        }
        if (out == null) {
            return message;
        }
        out.write(message, copied, message.length - copied);
        return out.toByteArray();
    }

    /** Where the empty line that ends the headers starts (its CRLF or LF), or the message's length. */
    private static int headerSectionEnd(byte[] message) {
        for (int i = 0; i + 1 < message.length; i++) {
            if (message[i] == '\n'
                    && (message[i + 1] == '\n'
                            || (message[i + 1] == '\r' && i + 2 < message.length && message[i + 2] == '\n'))) {
                return i + 1;
            }
        }
        return message.length;
    }

    private static boolean isWhiteSpace(byte b) {
        return b == ' ' || b == '\t';
    }

    /** {@code message} without char array identities, on one line of printable ASCII, at most {@link #MAX_LENGTH} long. */
    static String oneLine(String message) {
        String text = message == null ? "" : message.replaceAll("\\[[A-Za-z]@[0-9a-f]+", " ");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : ' ');
        }
        String line = out.toString().replaceAll(" {2,}", " ").strip();
        if (line.isEmpty()) {
            return "unreadable message";
        }
        return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH - 3) + "...";
    }
}
