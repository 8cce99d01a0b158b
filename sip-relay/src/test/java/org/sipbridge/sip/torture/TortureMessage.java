package org.sipbridge.sip.torture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * One RFC 4475 message (resource {@code rfc4475/<name>.dat}) and the few edits that make it reach
 * the bridge's relaying code instead of a stranger's address. Requests: the top Via's sent-by
 * becomes the test socket (and its transport UDP, the one it is sent over) so answers come back;
 * on the PBX side the Request-URI's host becomes the bridge contact the phone registered (with its
 * {@code sbid}), the only thing the bridge relays from there. Responses replace the transaction
 * headers with those of the request they answer ({@link #asAnswerTo}). Everything else, including
 * each message's torture, is sent byte for byte.
 */
record TortureMessage(
        String name,
        String section,
        boolean valid,
        String viaFind,
        String viaReplacement,
        String uriFind,
        String uriReplacement,
        boolean keepCSeq,
        Set<String> expectedLan,
        Set<String> expectedVpn,
        String rfcSays,
        String resource,
        String editFind,
        String editReplacement) {

    /** This message under another name, with {@code find} replaced by {@code replacement} before sending. */
    TortureMessage variant(
            String variantName, String find, String replacement, Set<String> lan, Set<String> vpn, String says) {
        return new TortureMessage(
                variantName,
                section,
                valid,
                viaFind,
                viaReplacement,
                uriFind,
                uriReplacement,
                keepCSeq,
                lan,
                vpn,
                says,
                resource,
                find,
                replacement);
    }

    /** Placeholder in replacements: the sending socket's address:port. */
    static final String SENT_BY = "{sentBy}";
    /** Placeholder in replacements: the registered bridge contact's host, port and sbid parameter. */
    static final String BRIDGE = "{bridge}";

    boolean isResponse() {
        return viaFind == null;
    }

    byte[] bytes() {
        try (InputStream in = TortureMessage.class.getResourceAsStream("/rfc4475/" + resource + ".dat")) {
            if (in == null) {
                throw new IllegalStateException("no resource rfc4475/" + resource + ".dat");
            }
            byte[] bytes = in.readAllBytes();
            return editFind == null
                    ? bytes
                    : replaceOnce(new String(bytes, StandardCharsets.ISO_8859_1), editFind, editReplacement)
                            .getBytes(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The request as the sender on {@code pbxSide} (or the phone side) sends it. */
    byte[] adaptedRequest(String sentBy, boolean pbxSide, String bridgeContact) {
        String text = new String(bytes(), StandardCharsets.ISO_8859_1);
        int lineEnd = text.indexOf("\r\n");
        String startLine = text.substring(0, lineEnd);
        String rest = text.substring(lineEnd);
        if (pbxSide) {
            startLine = replaceOnce(startLine, uriFind, uriReplacement.replace(BRIDGE, bridgeContact));
        }
        rest = replaceOnce(rest, viaFind, viaReplacement.replace(SENT_BY, sentBy));
        return (startLine + rest).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The adaptations of {@link #adaptedRequest}, for the results table. */
    String adaptations(boolean pbxSide) {
        if (isResponse()) {
            return "Via, From, To, Call-ID" + (keepCSeq ? "" : ", CSeq") + " and Contact of the request it answers";
        }
        String edit = editFind == null ? "" : "`" + editFind.strip() + "` → `" + editReplacement.strip() + "`; ";
        String via =
                edit + "`" + viaFind.strip() + "` → `" + viaReplacement.strip().replace(SENT_BY, "<test socket>") + "`";
        return pbxSide
                ? via + "; Request-URI `" + uriFind + "` → `" + uriReplacement.replace(BRIDGE, "<bridge contact>") + "`"
                : via;
    }

    /**
     * This response answering {@code request} (as the responder received it): its Via, From, To
     * (with a tag), Call-ID and CSeq (unless the CSeq is the torture) replace the message's, and its
     * Contact names the responder; start line, other headers and body are the RFC's bytes.
     */
    byte[] asAnswerTo(DatagramPeer.Received request, String responder) {
        String text = new String(bytes(), StandardCharsets.ISO_8859_1);
        int headersEnd = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, headersEnd).split("\r\n", -1);
        Set<String> replaced = keepCSeq
                ? Set.of("via", "v", "from", "f", "to", "t", "call-id", "i", "contact", "m")
                : Set.of("via", "v", "from", "f", "to", "t", "call-id", "i", "cseq", "contact", "m");
        StringBuilder out = new StringBuilder(lines[0]).append("\r\n");
        for (String header : request.message().headers("Via")) {
            out.append("Via: ").append(header).append("\r\n");
        }
        String to = request.message().header("To");
        out.append("From: ")
                .append(request.message().header("From"))
                .append("\r\n")
                .append("To: ")
                .append(to.contains("tag=") ? to : to + ";tag=torture")
                .append("\r\n")
                .append("Call-ID: ")
                .append(request.message().header("Call-ID"))
                .append("\r\n");
        if (!keepCSeq) {
            out.append("CSeq: ").append(request.message().header("CSeq")).append("\r\n");
        }
        out.append("Contact: <sip:torture@").append(responder).append(">\r\n");
        boolean skipping = false;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            boolean continuation = line.startsWith(" ") || line.startsWith("\t");
            if (!continuation) {
                int colon = line.indexOf(':');
                skipping = colon > 0
                        && replaced.contains(line.substring(0, colon).strip().toLowerCase(Locale.ROOT));
            }
            if (!skipping) {
                out.append(line).append("\r\n");
            }
        }
        return (out + text.substring(headersEnd + 2)).getBytes(StandardCharsets.ISO_8859_1);
    }

    private String replaceOnce(String text, String find, String replacement) {
        int at = text.indexOf(find);
        if (at < 0) {
            throw new IllegalStateException(name + ": `" + find + "` not found");
        }
        return text.substring(0, at) + replacement + text.substring(at + find.length());
    }

    /** The first line, as ISO-8859-1 text (one character a byte). */
    String startLine() {
        String text = new String(bytes(), StandardCharsets.ISO_8859_1);
        return text.substring(0, text.indexOf("\r\n"));
    }

    /** The bytes after the empty line that ends the headers. */
    byte[] body() {
        byte[] bytes = bytes();
        int end = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
        return java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
    }

    /** The CSeq method of the message (what a response answers). */
    String cseqMethod() {
        String text = new String(bytes(), StandardCharsets.ISO_8859_1);
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("cseq")) {
                String[] words = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
                return words[words.length - 1];
            }
        }
        throw new IllegalStateException(name + " has no CSeq");
    }
}
