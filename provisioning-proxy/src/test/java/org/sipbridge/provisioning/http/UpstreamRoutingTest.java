package org.sipbridge.provisioning.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpstreamRoutingTest {

    @ParameterizedTest
    @CsvSource({
            "/0004f2aabbcc.cfg, false",
            "/a..b/x.cfg, false",
            "/.hidden.cfg, false",
            "/fw/3.3.5.sip.ld?v=1.2, false",
            "/x.cfg?path=/../y, false",
            "/../etc/passwd, true",
            "/polycom/./x.cfg, true",
            "/polycom/%2e%2E/x.cfg, true",
            "/polycom/.., true",
    })
    void findsDotSegmentsInThePathOnly(String rawUri, boolean expected) {
        assertEquals(expected, UpstreamRouting.hasDotSegment(rawUri));
    }
}
