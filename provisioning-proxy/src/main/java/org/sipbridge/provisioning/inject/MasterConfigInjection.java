package org.sipbridge.provisioning.inject;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Puts one file first in the {@code CONFIG_FILES} lists of a Polycom master configuration file,
 * changing nothing else: a pure function, bytes in, bytes out.
 *
 * <p>A master is an XML document whose root element is {@code APPLICATION} with a {@code CONFIG_FILES}
 * attribute. Every attribute named {@code CONFIG_FILES} or {@code CONFIG_FILES_<MODEL>} (on the root or on
 * the {@code APPLICATION_<MODEL>} children Polycom's templates use) gets the entry in front. A model
 * attribute that is empty is left empty: the phone then falls back to {@code CONFIG_FILES}, which has it.
 *
 * <p>The document is checked with the JDK's SAX parser (no DOCTYPE, no external entities), but the edit
 * is textual: the attribute values are located by a small scanner over the original bytes and the entry
 * is inserted there, so comments, attribute order, quotes, whitespace and encoding stay exactly as they
 * were. The scanner reads the bytes as ISO-8859-1 (one char per byte): the markup it looks for is ASCII,
 * and the bytes of UTF-8 sequences never look like markup, so the output bytes are the input bytes plus
 * the ASCII entry. UTF-16 documents are left alone (reported as not editable).
 */
public final class MasterConfigInjection {

    /** What to do with a body. */
    public sealed interface Result permits Injected, NotMaster, Unchanged, Malformed {}

    /** A master that now lists the entry first in {@code attributes} attributes. */
    public record Injected(byte[] body, List<String> attributes) implements Result {}

    /** Not a master configuration file: relay it byte for byte. */
    public record NotMaster() implements Result {}

    /** A master that lists the entry first already (or has nothing to edit): relay it byte for byte. */
    public record Unchanged() implements Result {}

    /** Looks like a master but cannot be edited safely: relay it byte for byte, and warn. */
    public record Malformed(String reason) implements Result {}

    private static final Pattern ENTRY = Pattern.compile("[A-Za-z0-9._\\[\\]-]{1,200}");
    private static final String ROOT = "APPLICATION";
    private static final String LIST = "CONFIG_FILES";
    private static final byte[] MARKER = LIST.getBytes(StandardCharsets.US_ASCII);

    private MasterConfigInjection() {}

    /** True for the names of the attributes that list configuration files. */
    static boolean isListAttribute(String name) {
        return name.equals(LIST) || name.startsWith(LIST + "_");
    }

    /**
     * @param body  the file as the provisioning server sent it
     * @param entry the file name to put first, e.g. {@code sipbridge-[PHONE_MAC_ADDRESS].cfg}
     */
    public static Result inject(byte[] body, String entry) {
        if (!ENTRY.matcher(entry).matches()) {
            throw new IllegalArgumentException("not a plain file name: " + entry);
        }
        if (body.length >= 2
                && ((body[0] == (byte) 0xFE && body[1] == (byte) 0xFF)
                        || (body[0] == (byte) 0xFF && body[1] == (byte) 0xFE))) {
            boolean mentionsList = indexOf(body, LIST.getBytes(StandardCharsets.UTF_16BE)) >= 0
                    || indexOf(body, LIST.getBytes(StandardCharsets.UTF_16LE)) >= 0;
            return mentionsList ? new Malformed("UTF-16 master files are not edited") : new NotMaster();
        }
        if (indexOf(body, MARKER) < 0) {
            return new NotMaster(); // the cheap test that lets almost every file through unparsed
        }
        Parsed parsed;
        try {
            parsed = parse(body);
        } catch (SAXException | IOException e) {
            return new Malformed("not well-formed XML: " + e.getMessage());
        }
        if (!parsed.root.equals(ROOT) || !parsed.rootHasList) {
            return new NotMaster();
        }
        String text = new String(body, StandardCharsets.ISO_8859_1);
        List<Span> spans = AttributeScanner.listAttributes(text);
        if (spans.size() != parsed.lists.size()) {
            return new Malformed("found " + spans.size() + " CONFIG_FILES attributes in the text but the parser saw "
                    + parsed.lists.size());
        }
        StringBuilder out = new StringBuilder(text.length() + spans.size() * (entry.length() + 2));
        List<String> edited = new ArrayList<>();
        int copied = 0;
        for (int i = 0; i < spans.size(); i++) {
            Span span = spans.get(i);
            ListAttribute seen = parsed.lists.get(i);
            if (!span.name().equals(seen.name())) {
                return new Malformed("attribute " + span.name() + " where the parser saw " + seen.name());
            }
            String value = seen.value().strip();
            boolean modelSpecific = !span.name().equals(LIST);
            if ((modelSpecific && value.isEmpty()) || firstEntry(value).equalsIgnoreCase(entry)) {
                continue;
            }
            out.append(text, copied, span.valueStart()).append(entry);
            if (!value.isEmpty()) {
                out.append(", ");
            }
            copied = span.valueStart();
            edited.add(span.name());
        }
        if (edited.isEmpty()) {
            return new Unchanged();
        }
        out.append(text, copied, text.length());
        return new Injected(out.toString().getBytes(StandardCharsets.ISO_8859_1), List.copyOf(edited));
    }

    private static String firstEntry(String list) {
        int comma = list.indexOf(',');
        return (comma < 0 ? list : list.substring(0, comma)).strip();
    }

    /** One CONFIG_FILES* attribute as the parser decoded it. */
    private record ListAttribute(String name, String value) {}

    /** What the parser saw: the root's name, whether it has CONFIG_FILES, and every CONFIG_FILES* attribute in order. */
    private static final class Parsed extends DefaultHandler {
        String root;
        boolean rootHasList;
        final List<ListAttribute> lists = new ArrayList<>();

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) {
            if (root == null) {
                root = qName;
                rootHasList = attributes.getIndex(LIST) >= 0;
            }
            for (int i = 0; i < attributes.getLength(); i++) {
                if (isListAttribute(attributes.getQName(i))) {
                    lists.add(new ListAttribute(attributes.getQName(i), attributes.getValue(i)));
                }
            }
        }

        @Override
        public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
            throw new SAXException(
                    "line " + e.getLineNumber() + ", column " + e.getColumnNumber() + ": " + e.getMessage());
        }
    }

    private static Parsed parse(byte[] body) throws SAXException, IOException {
        SAXParser parser;
        try {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            // A master has no DTD; refusing one rules out entity expansion and external fetches.
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            parser = factory.newSAXParser();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's SAX parser lacks a standard feature", e);
        }
        Parsed parsed = new Parsed();
        parser.parse(new ByteArrayInputStream(body), parsed);
        if (parsed.root == null) {
            throw new SAXException("no root element");
        }
        return parsed;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Where a CONFIG_FILES* attribute's value starts in the text. */
    record Span(String name, int valueStart) {}

    /**
     * Finds the attributes in start tags of a document the parser accepted, skipping comments,
     * processing instructions, CDATA sections and end tags.
     */
    static final class AttributeScanner {

        private AttributeScanner() {}

        static List<Span> listAttributes(String s) {
            List<Span> spans = new ArrayList<>();
            int i = 0;
            while ((i = s.indexOf('<', i)) >= 0) {
                if (s.startsWith("<!--", i)) {
                    i = skipPast(s, "-->", i + 4);
                } else if (s.startsWith("<?", i)) {
                    i = skipPast(s, "?>", i + 2);
                } else if (s.startsWith("<![CDATA[", i)) {
                    i = skipPast(s, "]]>", i + 9);
                } else if (s.startsWith("<!", i) || s.startsWith("</", i)) {
                    i = skipPast(s, ">", i + 2);
                } else {
                    i = startTag(s, i + 1, spans);
                }
                if (i < 0) {
                    break;
                }
            }
            return spans;
        }

        private static int skipPast(String s, String end, int from) {
            int at = s.indexOf(end, from);
            return at < 0 ? -1 : at + end.length();
        }

        /** Scans one start tag from just after '<'; returns the index after its '>'. */
        private static int startTag(String s, int j, List<Span> spans) {
            while (j < s.length() && !isSpace(s.charAt(j)) && s.charAt(j) != '>' && s.charAt(j) != '/') {
                j++;
            }
            while (j < s.length()) {
                char c = s.charAt(j);
                if (isSpace(c)) {
                    j++;
                } else if (c == '>') {
                    return j + 1;
                } else if (c == '/') {
                    j++;
                } else {
                    int nameStart = j;
                    while (j < s.length() && !isSpace(s.charAt(j)) && s.charAt(j) != '=') {
                        j++;
                    }
                    String name = s.substring(nameStart, j);
                    while (j < s.length() && (isSpace(s.charAt(j)) || s.charAt(j) == '=')) {
                        j++;
                    }
                    if (j >= s.length()) {
                        return -1;
                    }
                    char quote = s.charAt(j);
                    int valueStart = j + 1;
                    int valueEnd = s.indexOf(quote, valueStart);
                    if (valueEnd < 0) {
                        return -1;
                    }
                    if (isListAttribute(name)) {
                        spans.add(new Span(name, valueStart));
                    }
                    j = valueEnd + 1;
                }
            }
            return -1;
        }

        private static boolean isSpace(char c) {
            return c == ' ' || c == '\t' || c == '\r' || c == '\n';
        }
    }
}
