package org.sipbridge.sip.torture;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The RFC 4475 §3.1.1 (valid) and §3.1.2 (invalid) messages, how each is adapted to reach the
 * bridge (see {@link TortureMessage}), and the outcomes the RFC allows on each side. Outcomes:
 * {@code relayed} (the far side got it, and its answer came back), {@code answered NNN} (the bridge
 * answered itself), {@code dropped} (no answer, nothing relayed), and for responses
 * {@code accepted} (a 100: the bridge stopped retransmitting, nothing to relay).
 */
final class Rfc4475 {

    private Rfc4475() {}

    private static final String UDP_SENT_BY = "SIP/2.0/UDP " + TortureMessage.SENT_BY;

    private static TortureMessage request(
            String name,
            String section,
            boolean valid,
            String viaFind,
            String viaReplacement,
            String uriFind,
            String uriReplacement,
            Set<String> lan,
            Set<String> vpn,
            String rfcSays) {
        return new TortureMessage(
                name,
                section,
                valid,
                viaFind,
                viaReplacement,
                uriFind,
                uriReplacement,
                false,
                lan,
                vpn,
                rfcSays,
                name,
                null,
                null);
    }

    private static TortureMessage response(
            String name,
            String section,
            boolean valid,
            boolean keepCSeq,
            Set<String> lan,
            Set<String> vpn,
            String rfcSays) {
        return new TortureMessage(
                name, section, valid, null, null, null, null, keepCSeq, lan, vpn, rfcSays, name, null, null);
    }

    private static final Set<String> RELAYED = Set.of("relayed");
    private static final Set<String> BAD_REQUEST = Set.of("answered 400");
    /** The RFC allows a liberal element to accept these if what it relays no longer has the error. */
    private static final Set<String> BAD_OR_MENDED = Set.of("answered 400", "relayed");

    /** wsinv has a To tag: for a dialog that does not exist, 481 (403 on the PBX side, see docs/sip.md). */
    private static final TortureMessage WSINV = request(
            "wsinv",
            "3.1.1.1",
            true,
            "192.0.2.2;",
            TortureMessage.SENT_BY + ";",
            "chair-dnrc.example.com",
            TortureMessage.BRIDGE,
            Set.of("answered 481"),
            Set.of("answered 403"),
            "well-formed: every element must accept it (it has a To tag: a request inside a dialog)");

    static final List<TortureMessage> MESSAGES = List.of(
            WSINV,
            WSINV.variant(
                    "wsinv-new",
                    ";   tag    = 1918181833n",
                    "",
                    RELAYED,
                    RELAYED,
                    "(not in the RFC) wsinv without its To tag, so that it starts a call: relayed, its unknown headers unchanged"),
            request(
                    "intmeth",
                    "3.1.1.2",
                    true,
                    "SIP/2.0/TCP host1.example.com",
                    UDP_SENT_BY,
                    "@example.com",
                    "@" + TortureMessage.BRIDGE,
                    Set.of("answered 501"),
                    Set.of("answered 501"),
                    "well-formed, unknown method: a proxy forwards it (or 404), an endpoint answers 501 with Allow"),
            request(
                    "esc01",
                    "3.1.1.3",
                    true,
                    "host5.example.net;",
                    TortureMessage.SENT_BY + ";",
                    "@example.net",
                    "@" + TortureMessage.BRIDGE,
                    RELAYED,
                    RELAYED,
                    "well-formed; %HEX escapes are equal to the characters they encode"),
            request(
                    "escnull",
                    "3.1.1.4",
                    true,
                    "host5.example.com;",
                    TortureMessage.SENT_BY + ";",
                    "sip:example.com",
                    "sip:" + TortureMessage.BRIDGE,
                    RELAYED,
                    Set.of("answered 403"),
                    "well-formed REGISTER of two distinct contacts (%00 in the user part)"),
            request(
                    "esc02",
                    "3.1.1.5",
                    true,
                    "SIP/2.0/TCP host.example.com",
                    UDP_SENT_BY,
                    "sip:registrar.example.com",
                    "sip:" + TortureMessage.BRIDGE,
                    RELAYED,
                    RELAYED,
                    "well-formed; RE%47IST%45R is an unknown method (not REGISTER), C%6Fntact an unknown header"),
            request(
                    "lwsdisp",
                    "3.1.1.6",
                    true,
                    "funky.example.com;",
                    TortureMessage.SENT_BY + ";",
                    "@example.com",
                    "@" + TortureMessage.BRIDGE,
                    RELAYED,
                    RELAYED,
                    "well-formed: no LWS between display name and `<`"),
            request(
                    "longreq",
                    "3.1.1.7",
                    true,
                    "SIP/2.0/TCP sip33.example.com",
                    UDP_SENT_BY,
                    "@example.com",
                    "@" + TortureMessage.BRIDGE,
                    RELAYED,
                    RELAYED,
                    "well-formed: long values, 34 Via lines in every spelling of the name"),
            request(
                    "dblreq",
                    "3.1.1.8",
                    true,
                    "192.0.2.125;",
                    TortureMessage.SENT_BY + ";",
                    "sip:example.com",
                    "sip:" + TortureMessage.BRIDGE,
                    RELAYED,
                    Set.of("answered 403"),
                    "the REGISTER is handled normally; the INVITE after its end is noise to ignore"),
            request(
                    "semiuri",
                    "3.1.1.9",
                    true,
                    "192.0.2.1;",
                    TortureMessage.SENT_BY + ";",
                    "@example.com",
                    "@" + TortureMessage.BRIDGE,
                    RELAYED,
                    RELAYED,
                    "well-formed: the Request-URI's user is `user;par=u@example.net`"),
            request(
                    "transports",
                    "3.1.1.10",
                    true,
                    "t1.example.com;",
                    TortureMessage.SENT_BY + ";",
                    "@example.com",
                    "@" + TortureMessage.BRIDGE,
                    RELAYED,
                    RELAYED,
                    "well-formed: Via transports UDP, SCTP, TLS, an unknown one and TCP"),
            request(
                    "mpart01",
                    "3.1.1.11",
                    true,
                    "127.0.0.1:5070;",
                    TortureMessage.SENT_BY + ";",
                    "@example.org",
                    "@" + TortureMessage.BRIDGE,
                    RELAYED,
                    RELAYED,
                    "well-formed: a multipart body with a binary part (NUL bytes) to frame correctly"),
            response(
                    "unreason",
                    "3.1.1.12",
                    true,
                    false,
                    RELAYED,
                    RELAYED,
                    "well-formed 200: the reason phrase is UTF-8 text"),
            response(
                    "noreason",
                    "3.1.1.13",
                    true,
                    false,
                    Set.of("accepted"),
                    Set.of("accepted"),
                    "well-formed 100 with an empty reason phrase"),
            request(
                    "badinv01",
                    "3.1.2.1",
                    false,
                    "192.0.2.15;",
                    TortureMessage.SENT_BY + ";",
                    "@example.com",
                    "@" + TortureMessage.BRIDGE,
                    BAD_REQUEST,
                    BAD_REQUEST,
                    "extra `;`/`,` separators in Via and Contact: 400"),
            request(
                    "clerr",
                    "3.1.2.2",
                    false,
                    "host5.example.com;",
                    TortureMessage.SENT_BY + ";",
                    "@example.com",
                    "@" + TortureMessage.BRIDGE,
                    BAD_REQUEST,
                    BAD_REQUEST,
                    "Content-Length larger than the datagram: 400 over UDP"),
            request(
                    "ncl",
                    "3.1.2.3",
                    false,
                    "192.0.2.53;",
                    TortureMessage.SENT_BY + ";",
                    "@example.com",
                    "@" + TortureMessage.BRIDGE,
                    BAD_REQUEST,
                    BAD_REQUEST,
                    "negative Content-Length: an error answer; over UDP the rest of the datagram may be discarded"),
            request(
                    "scalar02",
                    "3.1.2.4",
                    false,
                    "SIP/2.0/TCP host129.example.com",
                    UDP_SENT_BY,
                    "sip:example.com",
                    "sip:" + TortureMessage.BRIDGE,
                    BAD_REQUEST,
                    BAD_REQUEST,
                    "CSeq, Max-Forwards, Expires out of range: 400 (for the CSeq)"),
            response(
                    "scalarlg",
                    "3.1.2.5",
                    false,
                    true,
                    Set.of("dropped"),
                    Set.of("dropped"),
                    "response with out-of-range CSeq, Retry-After, Warning code: discard it"),
            request(
                    "quotbal",
                    "3.1.2.6",
                    false,
                    "192.0.2.59:5050;",
                    TortureMessage.SENT_BY + ";",
                    "@example.com",
                    "@" + TortureMessage.BRIDGE,
                    BAD_REQUEST,
                    BAD_REQUEST,
                    "unterminated quoted display name in To: 400 (or infer the quote with care)"),
            request(
                    "ltgtruri",
                    "3.1.2.7",
                    false,
                    "SIP/2.0/UDP 192.0.2.5",
                    UDP_SENT_BY,
                    "@example.com",
                    "@" + TortureMessage.BRIDGE,
                    BAD_REQUEST,
                    BAD_REQUEST,
                    "Request-URI in `<>`: 400 (a liberal element forwards it without the brackets)"),
            request(
                    "lwsruri",
                    "3.1.2.8",
                    false,
                    "SIP/2.0/UDP 192.0.2.1:5060",
                    UDP_SENT_BY,
                    "@example.com",
                    "@" + TortureMessage.BRIDGE,
                    BAD_REQUEST,
                    BAD_REQUEST,
                    "LWS inside the Request-URI: 400"),
            request(
                    "lwsstart",
                    "3.1.2.9",
                    false,
                    "SIP/2.0/UDP host1.example.com",
                    UDP_SENT_BY,
                    "@example.com",
                    "@" + TortureMessage.BRIDGE,
                    BAD_OR_MENDED,
                    BAD_OR_MENDED,
                    "several SP between Request-Line elements: may be rejected (or accepted, not forwarded as is)"),
            request(
                    "trws",
                    "3.1.2.10",
                    false,
                    "SIP/2.0/TCP host1.examle.com",
                    UDP_SENT_BY,
                    "@example.com",
                    "@" + TortureMessage.BRIDGE,
                    BAD_OR_MENDED,
                    BAD_OR_MENDED,
                    "SP after SIP-Version: may be rejected (or accepted, not forwarded as is)"),
            request(
                    "escruri",
                    "3.1.2.11",
                    false,
                    "SIP/2.0/UDP host-of-the-hour.example.com",
                    UDP_SENT_BY,
                    "@example.com",
                    "@" + TortureMessage.BRIDGE,
                    BAD_REQUEST,
                    BAD_REQUEST,
                    "escaped headers in the Request-URI: 400 (or ignore them, never turn them into headers)"),
            request(
                    "baddate",
                    "3.1.2.12",
                    false,
                    "SIP/2.0/UDP host.example.com",
                    UDP_SENT_BY,
                    "@example.com",
                    "@" + TortureMessage.BRIDGE,
                    BAD_OR_MENDED,
                    BAD_OR_MENDED,
                    "Date not in GMT: may be rejected; better ignored by an element that does not use Date"),
            request(
                    "regbadct",
                    "3.1.2.13",
                    false,
                    "SIP/2.0/UDP 135.180.130.133:5060",
                    UDP_SENT_BY,
                    "sip:example.com",
                    "sip:" + TortureMessage.BRIDGE,
                    BAD_REQUEST,
                    BAD_REQUEST,
                    "Contact URI with escaped header not in `<>`: 400 (or infer the brackets)"),
            request(
                    "badaspec",
                    "3.1.2.14",
                    false,
                    "SIP/2.0/UDP host4.example.com:5060",
                    UDP_SENT_BY,
                    "@example.org",
                    "@" + TortureMessage.BRIDGE,
                    BAD_OR_MENDED,
                    BAD_OR_MENDED,
                    "spaces inside the To addr-spec: 400, the parser must not break"),
            request(
                    "baddn",
                    "3.1.2.15",
                    false,
                    "SIP/2.0/UDP c.example.com:5060",
                    UDP_SENT_BY,
                    "@example.org",
                    "@" + TortureMessage.BRIDGE,
                    BAD_OR_MENDED,
                    BAD_OR_MENDED,
                    "unquoted display names with non-token characters: 400 (a proxy must not forward the error)"),
            request(
                    "badvers",
                    "3.1.2.16",
                    false,
                    "SIP/7.0/UDP c.example.com",
                    "SIP/7.0/UDP " + TortureMessage.SENT_BY,
                    "@example.org",
                    "@" + TortureMessage.BRIDGE,
                    Set.of("answered 505"),
                    Set.of("answered 505"),
                    "SIP/7.0: 505 Version Not Supported"),
            request(
                    "mismatch01",
                    "3.1.2.17",
                    false,
                    "SIP/2.0/UDP host.example.com",
                    UDP_SENT_BY,
                    "@example.com",
                    "@" + TortureMessage.BRIDGE,
                    BAD_REQUEST,
                    BAD_REQUEST,
                    "CSeq method differs from the request's: 400"),
            request(
                    "mismatch02",
                    "3.1.2.18",
                    false,
                    "SIP/2.0/UDP host.example.net",
                    UDP_SENT_BY,
                    "@example.com",
                    "@" + TortureMessage.BRIDGE,
                    Set.of("answered 501", "answered 400"),
                    Set.of("answered 501", "answered 400"),
                    "unknown method with a different CSeq method: 501 (400 acceptable)"),
            response(
                    "bigcode",
                    "3.1.2.19",
                    false,
                    false,
                    Set.of("dropped"),
                    Set.of("dropped"),
                    "response code above 699: drop it"));

    /**
     * The errors a liberal element must not pass on when it relays an invalid message (RFC 4475
     * §3.1.2.9, .10, .12, .14, .15): none of these may match what the far side gets.
     */
    static final Map<String, Pattern> MUST_NOT_RELAY = Map.of(
            "lwsstart", Pattern.compile("\\A\\S+ {2}|\\A\\S+ \\S+ {2}"),
            "trws", Pattern.compile("\\ASIP/2\\.0 +\\r|\\A[^\\r]* \\r\\n"),
            "baddate", Pattern.compile("(?im)^Date\\s*:.*EST"),
            "badaspec", Pattern.compile("< sip:|\\.org >"),
            "baddn", Pattern.compile("(?im)^(?:from|to|f|t)\\s*:\\s*[^\"<\\s][^<\\r\\n]*<"));

    /** What must reach the far side unchanged: unknown headers pass through (RFC 4475 §3.1.1.1, RFC 3261 §16.6). */
    static final Map<String, Pattern> MUST_RELAY = Map.of(
            "wsinv-new",
            Pattern.compile("(?m)^NewFangledHeader: newfangled value\\s+continued newfangled value\\r\\n"
                    + "(?s:.*)^UnknownHeaderWithUnusualValue: ;;,,;;,;\\r\\n"));
}
