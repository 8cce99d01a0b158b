package org.sipbridge.sip.stack;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.ByteArrayOutputStream;
import java.text.ParseException;

/**
 * jain-sip's message parser with header folding done right. RFC 3261 §7.3.1: a line break followed
 * by whitespace inside a header is one space; jain-sip drops the break and one whitespace character
 * instead, so {@code User-Agent: test CRLF TAB phone/1.0} became {@code testphone/1.0}. Folded
 * lines are joined (with one space) before jain-sip parses the message; messages without folding,
 * nearly all of them, are parsed as they came. Used for UDP and TCP alike (both parse through the
 * stack's parser factory).
 */
public final class UnfoldingParserFactory implements MessageParserFactory {

    /** jain-sip's own factory shares one parser too: it keeps no state between messages. */
    private static final StringMsgParser PARSER = new StringMsgParser();
    private static final MessageParser UNFOLDING = UnfoldingParserFactory::parse;

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        return UNFOLDING;
    }

    private static SIPMessage parse(byte[] message, boolean readBody, boolean strict, ParseExceptionListener listener)
            throws ParseException {
        return PARSER.parseSIPMessage(unfold(message), readBody, strict, listener);
    }

    /** {@code message} with every folded header line joined to the one before by one space. */
    static byte[] unfold(byte[] message) {
        if (message == null || firstFold(message) < 0) {
            return message;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length);
        int i = startLine(message);
        out.write(message, 0, i);
        while (i < message.length) {
            byte b = message[i];
            if (b == '\r' || b == '\n') {
                int next = afterLineBreak(message, i);
                if (next < message.length && isBlank(message[next])) {
                    while (next < message.length && isBlank(message[next])) {
                        next++;
                    }
                    out.write(' ');
                    i = next;
                    continue;
                }
                if (next >= message.length || message[next] == '\r' || message[next] == '\n') {
                    out.write(message, i, message.length - i); // the blank line and the body, untouched
                    return out.toByteArray();
                }
                out.write(message, i, next - i);
                i = next;
                continue;
            }
            out.write(b);
            i++;
        }
        return out.toByteArray();
    }

    /** Where the first folded line starts in the headers, or -1 when there is none. */
    private static int firstFold(byte[] message) {
        for (int i = startLine(message); i < message.length; i++) {
            if (message[i] == '\r' || message[i] == '\n') {
                int next = afterLineBreak(message, i);
                if (next >= message.length || message[next] == '\r' || message[next] == '\n') {
                    return -1; // end of the headers
                }
                if (isBlank(message[next])) {
                    return next;
                }
                i = next - 1;
            }
        }
        return -1;
    }

    /** Where the start line begins, after any keepalive line breaks. */
    private static int startLine(byte[] message) {
        int i = 0;
        while (i < message.length && (message[i] == '\r' || message[i] == '\n')) {
            i++;
        }
        return i;
    }

    private static int afterLineBreak(byte[] message, int at) {
        return message[at] == '\r' && at + 1 < message.length && message[at + 1] == '\n' ? at + 2 : at + 1;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }
}
