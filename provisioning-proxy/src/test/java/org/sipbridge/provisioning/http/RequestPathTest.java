package org.sipbridge.provisioning.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.sipbridge.provisioning.TraversalCorpus;

class RequestPathTest {

    static List<String> corpus() {
        return TraversalCorpus.paths();
    }

    @Test
    void theCorpusHasFiftyVariantsAtLeast() {
        assertTrue(corpus().size() >= 50, "corpus size " + corpus().size());
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void refusesEveryVariantOfTheCorpus(String target) {
        int query = target.indexOf('?');
        RequestPath.Verdict verdict = RequestPath.check(query < 0 ? target : target.substring(0, query));
        assertInstanceOf(RequestPath.Refuse.class, verdict, target + " -> " + verdict);
    }

    @ParameterizedTest
    @CsvSource({
        "/, /",
        "/0004f2aabbcc.cfg, /0004f2aabbcc.cfg",
        "/000000000000.cfg, /000000000000.cfg",
        "/3111-48300-001.sip.ld, /3111-48300-001.sip.ld",
        "/logs/0004f2aabbcc-app.log, /logs/0004f2aabbcc-app.log",
        "/polycom/, /polycom/",
        "/a..b/x.cfg, /a..b/x.cfg",
        "/.hidden.cfg, /.hidden.cfg",
        "/contacts/0004f2aabbcc-directory~.xml, /contacts/0004f2aabbcc-directory~.xml",
        "/Z%C3%BCrich%20office.cfg, /Z%C3%BCrich%20office.cfg",
        "/z%c3%bcrich.cfg, /z%C3%BCrich.cfg",
        "/%30004f2aabbcc.cfg, /0004f2aabbcc.cfg",
        "/%7Euser/a%2Dcfg, /~user/a-cfg",
        "/a%3Fb%23c, /a%3Fb%23c",
    })
    void relaysPlainNamesInTheirCanonicalEncoding(String raw, String canonical) {
        assertEquals(new RequestPath.Relay(canonical), RequestPath.check(raw), raw);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/..%2fsecret/x | encoded slash or backslash in a path segment",
                "/%2e%2e/secret/x | dot segment (..)",
                "/%252e%252e/x | percent sign after decoding (double encoding)",
                "/..;/secret/x | character ';' is not allowed in a path",
                "/%c0%ae%c0%ae/x | the decoded path is not valid UTF-8 (overlong, truncated or surrogate)",
                "/..%00/x | control character U+0000 in the path",
                "/x.cfg%2e%2e | path segment ending in a dot or space",
                "/%2 | truncated percent-encoding",
                "/%ef%bc%8e%ef%bc%8e/x | characters that Unicode normalisation changes (e.g. fullwidth dots or slashes)",
                "relative.cfg | the path must start with /",
            })
    void saysWhyItRefuses(String raw, String reason) {
        assertEquals(new RequestPath.Refuse(reason), RequestPath.check(raw));
    }
}
